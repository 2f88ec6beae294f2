/**
 * First step of processing a stored delivery: bytes → envelope. One JSON.parse and a few shape
 * checks, nothing more (it is on the hot path). Never throws: a delivery that is not a webhook
 * envelope comes back as `{ ok: false }` so the processor can mark it `invalid` and move on.
 */

/** The envelope as parsed. Entries are narrowed later, item by item, by normalizeDelivery. */
export interface DeliveryEnvelope {
  /** `whatsapp_business_account` for every field Wharf knows; kept verbatim, not enforced. */
  readonly object: string | undefined;
  readonly entry: readonly unknown[];
}

/** TOO_DEEP is found after the fact, when processing overflows the stack (too-deep.ts). */
export type InvalidDeliveryCode = 'EMPTY' | 'NOT_JSON' | 'NOT_OBJECT' | 'NO_ENTRY' | 'TOO_DEEP';

export interface InvalidDelivery {
  readonly code: InvalidDeliveryCode;
  readonly message: string;
}

export type ParsedDelivery =
  | { readonly ok: true; readonly envelope: DeliveryEnvelope }
  | { readonly ok: false; readonly error: InvalidDelivery };

function invalid(code: InvalidDeliveryCode, message: string): ParsedDelivery {
  return { ok: false, error: { code, message } };
}

function decode(bytes: Uint8Array | string): string {
  const text =
    typeof bytes === 'string'
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // A byte order mark may precede JSON and receivers may ignore it (RFC 8259 §8.1); JSON.parse does not.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseDelivery(bytes: Uint8Array | string): ParsedDelivery {
  let text: string;
  try {
    text = decode(bytes);
  } catch {
    return invalid('NOT_JSON', 'body is neither a string nor bytes');
  }
  if (text.trim() === '') return invalid('EMPTY', 'empty body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : 'parse error';
    return invalid('NOT_JSON', `body is not JSON: ${detail}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return invalid('NOT_OBJECT', 'body is not a JSON object');
  }
  const rec = parsed as Record<string, unknown>;
  const entry = rec['entry'];
  if (!Array.isArray(entry)) return invalid('NO_ENTRY', 'body has no entry array');
  const object = typeof rec['object'] === 'string' ? rec['object'] : undefined;
  return { ok: true, envelope: { object, entry } };
}
