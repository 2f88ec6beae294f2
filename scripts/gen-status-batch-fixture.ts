/**
 * Writes fixtures/payloads/messages/batch-1000-statuses.json: one delivery carrying 1,000 statuses
 * (Meta's documented batching maximum, reference §1.5) for 250 messages to 50 recipients, with the
 * 2026 `contacts[]` sibling. Deterministic: re-running gives byte-identical output.
 * Usage: npx tsx scripts/gen-status-batch-fixture.ts
 */
import { writeFileSync } from 'node:fs';

const STATUSES = ['sent', 'delivered', 'read', 'played'] as const;
const base = 1767225600;

const contacts = Array.from({ length: 50 }, (_, i) => ({
  profile: { name: `User ${i}` },
  wa_id: `4477009${String(i).padStart(5, '0')}`,
  user_id: `GB.${String(1000000000000000 + i)}`,
}));

const statuses = Array.from({ length: 1000 }, (_, i) => {
  const msg = Math.floor(i / 4);
  const c = contacts[msg % contacts.length]!;
  const status = STATUSES[i % 4]!;
  return {
    id: `wamid.BATCH${String(msg).padStart(6, '0')}`,
    status,
    timestamp: String(base + i),
    recipient_id: c.wa_id,
    recipient_user_id: c.user_id,
    ...(status === 'sent'
      ? { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' } }
      : {}),
  };
});

const delivery = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '800000000000001',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15551230000', phone_number_id: '900000000000001' },
            contacts,
            statuses,
          },
        },
      ],
    },
  ],
};

writeFileSync(
  new URL('../fixtures/payloads/messages/batch-1000-statuses.json', import.meta.url),
  JSON.stringify(delivery) + '\n',
);
