/**
 * Serializes a payload the way Meta's webhook sender does (Meta's docs on event notifications): plain JSON, but every
 * non-ASCII UTF-16 code unit written as a lowercase `\uXXXX` escape (so an emoji becomes its
 * surrogate pair, `\ud83d\udc4d`) and `/` written as `\/`. Receivers that hash
 * `JSON.stringify(JSON.parse(body))` instead of the raw bytes break on exactly these characters
 * (whatsapp-api-js issues #290 and #380), which is why the simulator must reproduce them.
 */
export function escapeJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('escapeJson: value is not JSON-serializable');
  return escapeJsonText(json);
}

/**
 * Escapes already-serialized JSON text. `/` and non-ASCII characters can only occur inside JSON
 * strings, so replacing them anywhere in the text keeps the document valid and equal once parsed.
 */
export function escapeJsonText(json: string): string {
  return json.replace(/[\u0080-\uffff/]/g, (ch) =>
    ch === '/' ? '\\/' : '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** The exact bytes Meta would put on the wire for this payload (pure ASCII). */
export function serializeLikeMeta(value: unknown): Buffer {
  return Buffer.from(escapeJson(value), 'ascii');
}
