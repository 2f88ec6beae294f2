/**
 * The SMS text of a fallback (docs/actions.md): the send's `sms_fallback_text` when it has one, else
 * the destination's `text` template with `{{template_name}}`, `{{recipient}}`, `{{wamid}}`,
 * `{{error_code}}`, `{{error_title}}` and `{{biz_opaque_callback_data}}` put in (empty when unknown).
 * Pure; a template is checked once, at create time, by smsTextProblem.
 */
export const SMS_TEXT_FIELDS = [
  'template_name',
  'recipient',
  'wamid',
  'error_code',
  'error_title',
  'biz_opaque_callback_data',
] as const;
export type SmsTextField = (typeof SMS_TEXT_FIELDS)[number];
export type SmsTextValues = Readonly<Partial<Record<SmsTextField, string | number | null>>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function renderSmsText(template: string, values: SmsTextValues): string {
  return template.replace(PLACEHOLDER, (_m, field: string) => {
    const v = values[field as SmsTextField];
    return v === null || v === undefined ? '' : String(v);
  });
}

/** Why `template` cannot be used (an unknown `{{placeholder}}`), or null. */
export function smsTextProblem(template: string): string | null {
  for (const m of template.matchAll(PLACEHOLDER))
    if (!(SMS_TEXT_FIELDS as readonly string[]).includes(m[1]!))
      return `unknown placeholder {{${m[1]}}}: use ${SMS_TEXT_FIELDS.map((f) => `{{${f}}}`).join(', ')}`;
  return null;
}

/**
 * The JSON body of the `http` SMS provider: every string of the `body` setting with `{{to}}`, `{{text}}`
 * and `{{wamid}}` put in. Values go into strings of a parsed JSON value, never into JSON text, so a
 * quote in a message cannot change the body's shape.
 */
export function renderSmsBody(body: unknown, v: { to: string; text: string; wamid: string }): unknown {
  if (typeof body === 'string')
    return body.replace(/\{\{\s*(to|text|wamid)\s*\}\}/g, (_m, f: 'to' | 'text' | 'wamid') => v[f]);
  if (Array.isArray(body)) return body.map((x) => renderSmsBody(x, v));
  if (body !== null && typeof body === 'object')
    return Object.fromEntries(Object.entries(body).map(([k, x]) => [k, renderSmsBody(x, v)]));
  return body;
}
