import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureResult =
  | { readonly ok: true; readonly secretIndex: number }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'mismatch' | 'no-secret' };

const PREFIX = 'sha256=';
const HEX64 = /^[0-9a-fA-F]{64}$/;

/**
 * Checks Meta's X-Hub-Signature-256 over the exact raw bytes (never a re-serialised body:
 * Meta signs the escaped-unicode form as sent, see Meta's docs on event notifications).
 * Format is checked first (prefix + 64 hex), then every configured secret is tried with a
 * timing-safe compare; the index of the matching secret is returned (rotation, several apps).
 */
export function verifySignature(
  raw: Uint8Array,
  header: string | undefined,
  secrets: readonly string[],
): SignatureResult {
  if (secrets.length === 0) return { ok: false, reason: 'no-secret' };
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  if (!header.startsWith(PREFIX)) return { ok: false, reason: 'malformed' };
  const hex = header.slice(PREFIX.length);
  if (!HEX64.test(hex)) return { ok: false, reason: 'malformed' };
  const got = Buffer.from(hex, 'hex');
  let matched = -1;
  // Every secret is tried even after a match so the time taken does not reveal which one matched.
  for (let i = 0; i < secrets.length; i++) {
    const want = createHmac('sha256', secrets[i] as string)
      .update(raw)
      .digest();
    if (timingSafeEqual(got, want) && matched < 0) matched = i;
  }
  return matched >= 0 ? { ok: true, secretIndex: matched } : { ok: false, reason: 'mismatch' };
}

/** Signs bytes the way Meta does: `sha256=` + lowercase hex HMAC-SHA256. */
export function signBody(raw: Uint8Array | string, secret: string): string {
  return PREFIX + createHmac('sha256', secret).update(raw).digest('hex');
}
