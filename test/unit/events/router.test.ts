import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRouter, type HandlerFailure } from '../../../src/events/router.js';
import type { AnyWharfEvent } from '../../../src/events/wharf-event.js';
import { eventsOf } from '../../helpers/fixtures.js';

const mixed = eventsOf('messages/batch-mixed.json');
const text = eventsOf('messages/text.json')[0] as AnyWharfEvent;
const other = eventsOf('messages/batch-multi-entry.json');

describe('router', () => {
  test('on(name) receives only that event, with typed data', async () => {
    const router = createRouter();
    const bodies: string[] = [];
    router.on('message.text', (e) => void bodies.push(e.data.body));
    await router.dispatchAll(mixed);
    assert.deepEqual(bodies, ['Ana here', 'Ben here']);
  });

  test('a prefix wildcard and a list of names match their events', async () => {
    const router = createRouter();
    const statuses: string[] = [];
    const listed: string[] = [];
    router.on('status.*', (e) => void statuses.push(e.name));
    router.on(['status.sent', 'message.text'], (e) => void listed.push(e.name));
    await router.dispatchAll(mixed);
    assert.deepEqual(statuses, ['status.sent', 'status.delivered', 'status.read']);
    assert.deepEqual(listed, ['message.text', 'message.text', 'status.sent']);
  });

  test('status. and status.* are the same prefix pattern', async () => {
    const router = createRouter();
    const dotted: string[] = [];
    const starred: string[] = [];
    router.on('status.', (e) => void dotted.push(e.name));
    router.on('status.*', (e) => void starred.push(e.name));
    await router.dispatchAll(mixed);
    assert.deepEqual(dotted, ['status.sent', 'status.delivered', 'status.read']);
    assert.deepEqual(starred, dotted);
  });

  test('a pattern that names no event throws at on(), naming it and the closest name', () => {
    const router = createRouter();
    assert.throws(() => router.on('message.txt' as never, () => undefined), {
      name: 'EventPatternError',
      code: 'UNKNOWN_EVENT_PATTERN',
      message: /"message\.txt"; did you mean "message\.text"/,
    });
    assert.throws(
      () => router.on(['status.', 'stauts.*'] as never, () => undefined),
      /did you mean "status\."/,
    );
  });

  test('onAny sees every event; handlers run in registration order and may be async', async () => {
    const router = createRouter();
    const seen: string[] = [];
    router.on('message.text', async () => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push('slow text');
    });
    router.onAny((e) => void seen.push(e.name));
    const r = await router.dispatch(text);
    assert.deepEqual(seen, ['slow text', 'message.text']);
    assert.equal(r.handled, 2);
  });

  test('filters by phone_number_id, WABA and contact (phone, BSUID or username)', async () => {
    const router = createRouter();
    const hits: Record<string, number> = { phone: 0, waba: 0, bsuid: 0, plusPhone: 0, none: 0 };
    router.onAny(() => void hits.phone!++, { phoneNumberId: '900000000000002' });
    router.onAny(() => void hits.waba!++, { wabaId: ['800000000000003'] });
    router.onAny(() => void hits.bsuid!++, { contact: 'GB.1029384756102938475' });
    router.onAny(() => void hits.plusPhone!++, { contact: '+447700900456' });
    router.onAny(() => void hits.none!++, { contact: 'GB.nobody' });
    await router.dispatchAll(other);
    assert.deepEqual(hits, { phone: 1, waba: 1, bsuid: 1, plusPhone: 1, none: 0 });
  });

  test('a router-wide filter applies before every handler', async () => {
    const router = createRouter({ filter: { wabaId: '800000000000002' } });
    const names: string[] = [];
    router.onAny((e) => void names.push(e.wabaId));
    await router.dispatchAll(other);
    assert.deepEqual(names, ['800000000000002']);
  });

  test('handler errors go to onError and the result, the other handlers still run, dispatch never rejects', async () => {
    const router = createRouter();
    const reported: HandlerFailure[] = [];
    let after = 0;
    router.on('message.text', () => {
      throw new Error('sync boom');
    });
    router.on('message.*', async () => Promise.reject(new Error('async boom')));
    router.onAny(() => void after++);
    router.onError((f) => void reported.push(f));
    router.onError(() => {
      throw new Error('error handler failing is contained');
    });
    const r = await router.dispatch(text);
    assert.equal(after, 1);
    assert.equal(r.handled, 1);
    assert.deepEqual(
      r.failures.map((f) => [(f.error as Error).message, f.pattern]),
      [
        ['sync boom', 'message.text'],
        ['async boom', 'message.*'],
      ],
    );
    assert.equal(reported.length, 2);
    assert.equal(reported[0]?.event, text);
  });

  test('unsubscribe removes a handler', async () => {
    const router = createRouter();
    let n = 0;
    const off = router.on('message.text', () => void n++);
    await router.dispatch(text);
    off();
    await router.dispatch(text);
    assert.equal(n, 1);
  });
});
