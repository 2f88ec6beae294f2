/**
 * The body of `POST /api/v1/messages` (also `wharf.send()`, `ctx.reply()`, `wharf send`): Meta's own
 * message object (copied from Meta's "Send messages" docs works as is) plus `phone_number_id` and
 * optional `sms_fallback_text`. Checks what Meta would refuse for its shape, naming the field, so a
 * bad body never reaches Meta and nothing is recorded. Unknown fields are passed on to Meta (it adds
 * fields without versioning). Pure.
 */

export interface SendRequest {
  readonly phoneNumberId: string;
  /** `to` as given (phone), or null when sending to a BSUID. */
  readonly to: string | null;
  /** The BSUID of `recipient`, when there is no `to` (Meta: `to` wins when both are given). */
  readonly recipient: string | null;
  /** Digits of `to` (`+44 7700-900123` → `447700900123`), or null. */
  readonly waId: string | null;
  readonly type: string;
  readonly templateName: string | null;
  readonly templateLanguage: string | null;
  readonly smsFallbackText: string | null;
  /** What goes to Meta: the body without Wharf's own fields, `messaging_product` and `type` set. */
  readonly message: Readonly<Record<string, unknown>>;
}

export type ParsedSend =
  | { readonly ok: true; readonly request: SendRequest }
  | { readonly ok: false; readonly field: string; readonly problem: string };

/** Message types Meta's send endpoint takes, each with an object of the same name. */
export const SEND_TYPES = [
  'text',
  'template',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'reaction',
] as const;
const TYPES: ReadonlySet<string> = new Set(SEND_TYPES);
const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);
/** Meta's limit for a text body. */
const TEXT_MAX = 4096;
/** An SMS of more than ten segments is not a fallback any more. */
const SMS_MAX = 1600;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const bad = (field: string, problem: string): ParsedSend => ({ ok: false, field, problem });

/** The part of a type's object Meta requires, or null when it is there. */
function contentProblem(type: string, c: Obj): [string, string] | null {
  if (type === 'text') {
    if (!nonEmpty(c.body)) return ['text.body', 'is required (the message text)'];
    if (c.body.length > TEXT_MAX) return ['text.body', `is longer than Meta's ${TEXT_MAX} characters`];
  }
  if (type === 'template') {
    if (!nonEmpty(c.name)) return ['template.name', 'is required (the template name)'];
    if (!isObj(c.language) || !nonEmpty(c.language.code))
      return ['template.language.code', 'is required (e.g. "en_US")'];
    if (c.components !== undefined && !Array.isArray(c.components))
      return ['template.components', 'must be an array'];
  }
  if (MEDIA.has(type) && !nonEmpty(c.id) && !nonEmpty(c.link))
    return [`${type}.id`, `or ${type}.link is required (a media id or an https URL)`];
  if (type === 'reaction') {
    if (!nonEmpty(c.message_id)) return ['reaction.message_id', 'is required (the wamid reacted to)'];
    if (typeof c.emoji !== 'string') return ['reaction.emoji', 'is required ("" removes a reaction)'];
  }
  if (type === 'location' && (typeof c.latitude !== 'number' || typeof c.longitude !== 'number'))
    return ['location.latitude', 'and location.longitude are required numbers'];
  if (type === 'interactive' && !nonEmpty(c.type))
    return ['interactive.type', 'is required (button, list, cta_url, flow …)'];
  return null;
}

function recipientOf(
  b: Obj,
): ParsedSend | { to: string | null; recipient: string | null; waId: string | null } {
  if (b.to !== undefined && b.to !== null) {
    if (typeof b.to !== 'string' && typeof b.to !== 'number') return bad('to', 'must be a phone number');
    const to = String(b.to);
    const waId = to.replace(/[\s()+.-]/g, '');
    if (!/^\d{5,20}$/.test(waId))
      return bad('to', 'must be a phone number with country code (digits, optionally + and spaces)');
    return { to, recipient: null, waId };
  }
  if (b.recipient !== undefined && b.recipient !== null) {
    if (!nonEmpty(b.recipient)) return bad('recipient', 'must be a business-scoped user id (BSUID)');
    return { to: null, recipient: b.recipient.trim(), waId: null };
  }
  return bad('to', 'or recipient is required (a phone number, or a BSUID in recipient)');
}

export function parseSendRequest(body: unknown): ParsedSend {
  if (!isObj(body)) return bad('body', 'must be a JSON object (Meta’s message object plus phone_number_id)');
  const pnid = body.phone_number_id;
  if (pnid === undefined || pnid === null || pnid === '')
    return bad('phone_number_id', 'is required (the business number that sends)');
  if ((typeof pnid !== 'string' && typeof pnid !== 'number') || !/^\d{1,30}$/.test(String(pnid)))
    return bad('phone_number_id', 'must be the numeric id of a business phone number');
  if (body.messaging_product !== undefined && body.messaging_product !== 'whatsapp')
    return bad('messaging_product', 'must be "whatsapp" (or left out)');
  const who = recipientOf(body);
  if ('ok' in who) return who;
  const type = body.type ?? 'text';
  if (typeof type !== 'string' || !TYPES.has(type))
    return bad('type', `must be one of ${SEND_TYPES.join(', ')}`);
  const content = body[type];
  if (!isObj(content) && !(type === 'contacts' && Array.isArray(content)))
    return bad(type, `is required: the ${type} object of a ${type} message`);
  const problem = isObj(content) ? contentProblem(type, content) : null;
  if (problem) return bad(problem[0], problem[1]);
  if (body.context !== undefined && (!isObj(body.context) || !nonEmpty(body.context.message_id)))
    return bad('context.message_id', 'is required in context (the wamid replied to)');
  const sms = body.sms_fallback_text;
  if (sms !== undefined && sms !== null && (!nonEmpty(sms) || sms.length > SMS_MAX))
    return bad('sms_fallback_text', `must be a text of 1–${SMS_MAX} characters`);
  const message: Obj = { messaging_product: 'whatsapp' };
  for (const [k, v] of Object.entries(body))
    if (k !== 'phone_number_id' && k !== 'sms_fallback_text' && k !== 'messaging_product') message[k] = v;
  message.type = type;
  if (who.to !== null) message.to = who.to;
  const template = type === 'template' ? (content as Obj) : null;
  return {
    ok: true,
    request: {
      phoneNumberId: String(pnid),
      ...who,
      type,
      templateName: template ? (template.name as string) : null,
      templateLanguage: template ? ((template.language as Obj).code as string) : null,
      smsFallbackText: typeof sms === 'string' ? sms : null,
      message,
    },
  };
}
