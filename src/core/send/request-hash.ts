/**
 * What an Idempotency-Key stands for: the number, the recipient and the message, hashed over JSON
 * with sorted keys (so the same message written with its keys in another order is the same).
 */
import { createHash } from 'node:crypto';
import type { SendRequest } from './parse-send-request.js';

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

export function requestHash(r: SendRequest): string {
  const what = { phone_number_id: r.phoneNumberId, message: r.message, sms: r.smsFallbackText };
  return createHash('sha256')
    .update(JSON.stringify(canonical(what)))
    .digest('hex');
}
