/**
 * The behaviours every SendStore adapter must have (src/ports/send-store.ts): a send recorded
 * before it leaves and found by id, key and wamid; one row per idempotency key however many callers
 * race for it; the first outcome kept; the SMS fallback beside it; and the guard facts read from
 * what the processor stored (the contact's last inbound message on that number under any of its
 * identifiers, the template's newest status, language spelled either way).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessingStore } from '../../src/ports/processing-store.js';
import { sendStateAt, type NewSend, type SendStore } from '../../src/ports/send-store.js';
import { drain } from './processing-store.conformance.js';
import { envelope, PNID, textDelivery } from '../helpers/webhook-bodies.js';

export interface SendsUnderTest {
  readonly processing: ProcessingStore;
  readonly sends: SendStore;
  /** Stores a raw delivery (pending). */
  add(body: string): Promise<void>;
  dispose(): Promise<void>;
}

const T0 = 1_767_225_600_000;
let n = 0;

function newSend(over: Partial<NewSend> = {}): NewSend {
  n += 1;
  return {
    id: `snd_test${n}`,
    idempotencyKey: null,
    requestHash: 'h1',
    phoneNumberId: PNID,
    recipient: '447700900123',
    recipientKind: 'phone',
    type: 'text',
    templateName: null,
    templateLanguage: null,
    message: JSON.stringify({ to: '447700900123', type: 'text', text: { body: 'hi' } }),
    smsFallbackText: 'Your code is 1234',
    forced: false,
    createdAt: T0,
    deadlineAt: T0 + 60_000,
    ...over,
  };
}

const accepted = (wamid: string) => ({
  state: 'accepted' as const,
  wamid,
  waId: '447700900123',
  userId: null,
  messageStatus: null,
  httpStatus: 200,
  fbtraceId: 'AtraceA',
  outcome: null,
  answeredAt: T0 + 100,
});

function templateEvent(event: string, category: string, language: string, time: number): string {
  return envelope(
    'message_template_status_update',
    {
      event,
      message_template_id: 5550001,
      message_template_name: 'spring_sale',
      message_template_language: language,
      message_template_category: category,
      reason: 'NONE',
    },
    time,
  );
}

export function sendStoreConformance(label: string, make: () => Promise<SendsUnderTest>): void {
  describe(`SendStore conformance: ${label}`, () => {
    test('a send is recorded as `sending`, then takes its outcome; found by id, key and wamid', async () => {
      const t = await make();
      try {
        const s = newSend({ idempotencyKey: `key-${n}-a` });
        assert.deepEqual(await t.sends.begin(s), { created: true });
        const before = await t.sends.get(s.id);
        assert.equal(before?.state, 'sending');
        assert.equal(before?.smsFallbackText, 'Your code is 1234');
        assert.equal(before?.fallback, null);
        await t.sends.finish(s.id, accepted('wamid.A1'));
        const after = await t.sends.get(s.id);
        assert.equal(after?.state, 'accepted');
        assert.equal(after?.wamid, 'wamid.A1');
        assert.equal(after?.fbtraceId, 'AtraceA');
        assert.equal((await t.sends.getByKey(s.idempotencyKey as string))?.id, s.id);
        assert.equal((await t.sends.getByWamid('wamid.A1'))?.id, s.id);
        assert.equal((await t.sends.getByWamid('wamid.A1', PNID))?.id, s.id);
        assert.equal(await t.sends.getByWamid('wamid.A1', '123'), null);
        assert.equal(await t.sends.get('snd_missing'), null);
      } finally {
        await t.dispose();
      }
    });

    test('the same idempotency key from many callers at once: one row, every other caller gets it', async () => {
      const t = await make();
      try {
        const key = `race-${n}`;
        const results = await Promise.all(
          Array.from({ length: 8 }, () => t.sends.begin(newSend({ idempotencyKey: key }))),
        );
        const created = results.filter((r) => r.created);
        assert.equal(created.length, 1);
        const ids = new Set(results.map((r) => (r.created ? null : r.existing.id)).filter((x) => x !== null));
        assert.equal(ids.size, 1);
        // Sends without a key never collide.
        assert.deepEqual(await t.sends.begin(newSend()), { created: true });
        assert.deepEqual(await t.sends.begin(newSend()), { created: true });
      } finally {
        await t.dispose();
      }
    });

    test('the first outcome is kept; a row left `sending` reads as unknown after its deadline', async () => {
      const t = await make();
      try {
        const s = newSend();
        await t.sends.begin(s);
        const row = await t.sends.get(s.id);
        assert.equal(row && sendStateAt(row, s.deadlineAt), 'sending');
        assert.equal(row && sendStateAt(row, s.deadlineAt + 1), 'unknown');
        await t.sends.finish(s.id, {
          ...accepted(''),
          state: 'failed',
          wamid: null,
          httpStatus: 400,
          outcome: { kind: 'meta_error', code: 131047 },
        });
        await t.sends.finish(s.id, accepted('wamid.LATE'));
        const kept = await t.sends.get(s.id);
        assert.equal(kept?.state, 'failed');
        assert.equal(kept?.wamid, null);
        assert.deepEqual(kept?.outcome, { kind: 'meta_error', code: 131047 });
      } finally {
        await t.dispose();
      }
    });

    test('the SMS fallback is kept beside the send', async () => {
      const t = await make();
      try {
        const s = newSend();
        await t.sends.begin(s);
        const fallback = {
          channel: 'sms',
          to: '+447700900123',
          state: 'sent',
          providerId: 'SM123',
          at: T0 + 5,
          reason: null,
        };
        await t.sends.setFallback(s.id, fallback);
        assert.deepEqual((await t.sends.get(s.id))?.fallback, fallback);
      } finally {
        await t.dispose();
      }
    });

    test('guard facts: last inbound per number under phone or BSUID; newest template status, either language spelling', async () => {
      const t = await make();
      try {
        const none = await t.sends.guardFacts({
          phoneNumberId: PNID,
          waId: '447700900123',
          userId: null,
          template: { name: 'spring_sale', language: 'en_US' },
        });
        assert.deepEqual(none, { lastInboundAt: null, template: null });
        const ts = 1_767_225_600;
        await t.add(textDelivery('wamid.IN1', ts, 'hello', '447700900123', 'GB.4829103748291037482'));
        await t.add(templateEvent('APPROVED', 'MARKETING', 'en_US', ts - 100));
        await t.add(templateEvent('PAUSED', 'MARKETING', 'en_US', ts));
        await drain(t.processing);
        const byPhone = await t.sends.guardFacts({
          phoneNumberId: PNID,
          waId: '447700900123',
          userId: null,
          template: { name: 'spring_sale', language: 'en-US' },
        });
        assert.equal(byPhone.lastInboundAt, ts * 1000);
        assert.deepEqual(byPhone.template, { status: 'PAUSED', reason: 'NONE', category: 'MARKETING' });
        const byBsuid = await t.sends.guardFacts({
          phoneNumberId: PNID,
          waId: null,
          userId: 'GB.4829103748291037482',
          template: null,
        });
        assert.equal(byBsuid.lastInboundAt, ts * 1000);
        const otherNumber = await t.sends.guardFacts({
          phoneNumberId: '111',
          waId: '447700900123',
          userId: null,
          template: null,
        });
        assert.equal(otherNumber.lastInboundAt, null);
        await t.add(templateEvent('REINSTATED', 'MARKETING', 'en_US', ts + 50));
        await drain(t.processing);
        const back = await t.sends.guardFacts({
          phoneNumberId: PNID,
          waId: '447700900123',
          userId: null,
          template: { name: 'spring_sale', language: 'en_US' },
        });
        assert.equal(back.template?.status, 'REINSTATED');
      } finally {
        await t.dispose();
      }
    });
  });
}
