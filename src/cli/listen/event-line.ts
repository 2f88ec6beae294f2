/**
 * One readable line per forwarded event, like `stripe listen`: when it happened, its name, the
 * contact, what it says (the text of a message, the status of a message sent), then what the local
 * receiver answered and how long it took. Pure: the event JSON of GET /api/v1/stream in, text out.
 */

/** What the local receiver did with one forwarded event. */
export type LocalAnswer =
  { readonly status: number; readonly ms: number } | { readonly error: string; readonly ms: number };

const WIDTH = { name: 22, contact: 16, summary: 40 };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** A field of `data`, in the snake_case of the API or the camelCase of the event model. */
const field = (data: Json, snake: string, camel: string) => str(data[snake]) ?? str(data[camel]);

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

/** Who the event is about: phone (wa_id), else business-scoped user id, else username. */
export function contactOf(event: Json): string {
  const c = obj(event['contact']);
  const data = obj(event['data']);
  const waId = str(c['wa_id']) ?? field(data, 'recipient_id', 'recipientId') ?? str(data['from']);
  if (waId !== undefined) return `+${waId.replace(/^\+/, '')}`;
  return str(c['user_id']) ?? str(c['username']) ?? '-';
}

/** What the event says: a message's text or caption, a status and its first error, else nothing. */
export function summaryOf(event: Json): string {
  const name = str(event['name']) ?? '';
  const data = obj(event['data']);
  if (name.startsWith('status.')) {
    const status = str(data['status']) ?? name.slice('status.'.length);
    const errors = Array.isArray(data['errors']) ? data['errors'] : [];
    const first = obj(errors[0]);
    const code = typeof first['code'] === 'number' ? ` ${first['code']}` : '';
    const title = str(first['title']) ?? str(first['message']);
    return errors.length > 0 ? `${status}:${code}${title ? ` ${title}` : ''}` : status;
  }
  const media = obj(data['media']);
  const text =
    str(data['body']) ??
    str(data['text']) ??
    str(data['title']) ??
    str(media['caption']) ??
    field(media, 'mime_type', 'mimeType');
  return text === undefined ? '' : JSON.stringify(text).slice(1, -1);
}

/** `HH:MM:SS` of the event's occurred_at (UTC), or of `now` when it has none. */
function timeOf(event: Json, now: number): string {
  const at = Date.parse(str(event['occurred_at']) ?? '');
  return new Date(Number.isNaN(at) ? now : at).toISOString().slice(11, 19);
}

export function answerText(answer: LocalAnswer): string {
  const ms = `${Math.round(answer.ms)} ms`;
  return 'status' in answer ? `[${answer.status}] ${ms}` : `[error] ${answer.error} (${ms})`;
}

export function eventLine(event: Json, answer: LocalAnswer, now: number): string {
  const name = str(event['name']) ?? 'unknown';
  return [
    timeOf(event, now),
    `${name.padEnd(WIDTH.name)}`,
    contactOf(event).padEnd(WIDTH.contact),
    clip(summaryOf(event), WIDTH.summary).padEnd(WIDTH.summary),
    `--> ${answerText(answer)}`,
  ].join('  ');
}
