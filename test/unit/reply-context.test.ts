/**
 * ctx.reply() (src/app/reply-context.ts): whom it sends to, from which number, with which
 * Idempotency-Key, and what it does with the answer — with the send path replaced by a recorder.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { replyContext, type Send } from '../../src/app/reply-context.js';
import { SendError, errorAnswer } from '../../src/app/send-answer.js';
import type { AnyWharfEvent } from '../../src/events/wharf-event.js';
import type { HandlerContext } from '../../src/app/dispatcher.js';

const ctx: HandlerContext = {
  idempotencyKey: 'k',
  attempt: 1,
  target: 'h1',
  signal: new AbortController().signal,
};
const event = (contact: Record<string, string>) =>
  ({
    name: 'message.text',
    key: 'wamid.IN.1',
    field: 'messages',
    occurredAt: 0,
    wabaId: '1',
    phoneNumberId: '900',
    wamid: 'wamid.IN.1',
    contact,
    data: { body: 'hi' },
    raw: null,
  }) as unknown as AnyWharfEvent;

function recorder(
  answer = { status: 201, body: { id: 'snd_1', wamid: 'wamid.OUT', status: 'accepted' }, headers: {} },
) {
  const calls: Array<{ body: unknown; options: unknown }> = [];
  const send: Send = async (body, options) => {
    calls.push({ body, options });
    return answer;
  };
  return { calls, send };
}

describe('ctx.reply()', () => {
  test('to the phone number when the event has one, from the event’s number, keyed by handler, event and order', async () => {
    const r = recorder();
    const c = replyContext(r.send, event({ waId: '447700900123', userId: 'GB.1' }), ctx);
    await c.reply({ type: 'text', text: { body: 'a' } });
    await c.reply({ type: 'text', text: { body: 'b' } }, { quote: true, force: true });
    assert.deepEqual(r.calls[0]?.body, {
      type: 'text',
      text: { body: 'a' },
      phone_number_id: '900',
      to: '447700900123',
    });
    assert.deepEqual(r.calls[0]?.options, {
      idempotencyKey: 'reply:h1:wamid.IN.1:1',
      force: false,
      via: 'reply',
    });
    assert.deepEqual((r.calls[1]?.body as { context: unknown }).context, { message_id: 'wamid.IN.1' });
    assert.deepEqual(r.calls[1]?.options, {
      idempotencyKey: 'reply:h1:wamid.IN.1:2',
      force: true,
      via: 'reply',
    });
  });

  test('to the BSUID as `recipient` when the user hides their number', async () => {
    const r = recorder();
    await replyContext(r.send, event({ userId: 'GB.4829103748291037482' }), ctx).reply({
      type: 'text',
      text: { body: 'a' },
    });
    assert.equal((r.calls[0]?.body as { recipient: string }).recipient, 'GB.4829103748291037482');
    assert.equal((r.calls[0]?.body as { to?: string }).to, undefined);
  });

  test('a refused send rejects with a SendError carrying the answer; an event without a contact cannot be replied to', async () => {
    const r = recorder(errorAnswer('WINDOW_CLOSED', 'closed', { reason: 'closed' }) as never);
    await assert.rejects(
      replyContext(r.send, event({ waId: '447700900123' }), ctx).reply({ type: 'text', text: { body: 'a' } }),
      (err: unknown) => err instanceof SendError && err.code === 'WINDOW_CLOSED' && err.answer.status === 409,
    );
    await assert.rejects(
      replyContext(r.send, event({}), ctx).reply({ type: 'text', text: { body: 'a' } }),
      /no contact and business number/,
    );
  });
});
