import { createHash, timingSafeEqual } from 'node:crypto';

export type SubscriptionResult =
  | { readonly ok: true; readonly challenge: string }
  | {
      readonly ok: false;
      readonly reason: 'no-token-configured' | 'missing-parameters' | 'wrong-mode' | 'wrong-token';
    };

/**
 * Meta's GET handshake (Meta's docs on the verification request): `hub.mode=subscribe` and a matching `hub.verify_token`
 * → echo `hub.challenge`. Tokens are compared in constant time (hashing first so lengths do not leak).
 */
export function verifySubscription(
  query: URLSearchParams,
  verifyToken: string | undefined,
): SubscriptionResult {
  if (!verifyToken) return { ok: false, reason: 'no-token-configured' };
  const mode = query.get('hub.mode');
  const token = query.get('hub.verify_token');
  const challenge = query.get('hub.challenge');
  if (mode === null || token === null || challenge === null)
    return { ok: false, reason: 'missing-parameters' };
  if (mode !== 'subscribe') return { ok: false, reason: 'wrong-mode' };
  const a = createHash('sha256').update(token).digest();
  const b = createHash('sha256').update(verifyToken).digest();
  if (!timingSafeEqual(a, b)) return { ok: false, reason: 'wrong-token' };
  return { ok: true, challenge };
}
