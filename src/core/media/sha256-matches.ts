/**
 * Whether downloaded bytes match the sha256 Meta gave: Meta's examples use base64 in `messages`
 * webhooks and hex in `history` and `edit` ones (Meta's media page), so both are accepted (base64 with
 * or without padding, standard or URL-safe alphabet). Pure.
 */
export function sha256Matches(expected: string, actual: Buffer): boolean {
  const e = expected.trim();
  if (/^[0-9a-fA-F]{64}$/.test(e)) return e.toLowerCase() === actual.toString('hex');
  const b64 = e.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  return b64 === actual.toString('base64').replace(/=+$/, '');
}
