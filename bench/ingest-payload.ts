import { signBody } from '../src/core/verify-signature.js';

/**
 * A realistic ≈1.5 KB `statuses` webhook (sent status with pricing, conversation and contacts,
 * reference §5), made unique per request by its counter so Wharf's dedupe does not short-circuit
 * the durable write. Escaped exactly as Meta sends it (`\/`, `\u00e9`).
 */
export function statusPayload(n: number): string {
  const wamid = `wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI${n.toString(36).padStart(12, '0')}A`;
  return (
    `{"object":"whatsapp_business_account","entry":[{"id":"800000000000001","changes":[{"value":{"messaging_product":"whatsapp",` +
    `"metadata":{"display_phone_number":"15551230000","phone_number_id":"900000000000001"},` +
    `"contacts":[{"profile":{"name":"Jos\\u00e9 Mar\\u00eda"},"wa_id":"447700900123","user_id":"GB.4829103748291037482"}],` +
    `"statuses":[{"id":"${wamid}","status":"sent","timestamp":"${1767225600 + (n % 100000)}","recipient_id":"447700900123",` +
    `"recipient_user_id":"GB.4829103748291037482","biz_opaque_callback_data":"order-${n}:https:\\/\\/shop.example.com\\/orders\\/${n}?utm=${'w'.repeat(680)}",` +
    `"conversation":{"id":"c0f1e2d3b4a5968778695a4b3c2d1e0f","expiration_timestamp":"1767312000","origin":{"type":"utility"}},` +
    `"pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"utility"}}]},"field":"messages"}]}]}`
  );
}

export function signedStatus(n: number, secret: string): { body: string; signature: string } {
  const body = statusPayload(n);
  return { body, signature: signBody(body, secret) };
}
