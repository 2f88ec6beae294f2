/**
 * Destinations through real HTTP (design §7.2): a Wharf, a local receiver, signed webhooks in,
 * signed hand-offs out, with the retry schedule, the attempt log, 410 and rotation.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationTestBed } from '../../helpers/destination-test-bed.js';
import { Webhook } from 'standardwebhooks';
import { statusDelivery, textDelivery } from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('destinations: delivery through real HTTP', { timeout: 60_000 }, () => {
  const bed = destinationTestBed();
  const create = bed.create;

  test('a receiver that fails twice then succeeds gets the event three times, each try in the attempt log with the same webhook-id', async () => {
    const rx = await bed.receiver((_r, n) =>
      n <= 2 ? { status: 503, body: `busy ${n}` } : { status: 200, body: 'ok' },
    );
    const w = await bed.wharf();
    const d = await create({ name: 'flaky', kind: 'http', url: rx.url });
    assert.match(d.secret, /^whsec_/);
    assert.equal((await w.deliver(textDelivery('wamid.F1', 1767225600, 'hello'))).status, 200);
    await waitFor('three tries', () => rx.received.length === 3);
    const ids = new Set(rx.received.map((r) => r.headers['webhook-id']));
    assert.equal(ids.size, 1, 'webhook-id is stable across retries');
    const first = rx.received[0];
    assert.equal(first?.json['name'], 'message.text');
    assert.equal((first?.json['data'] as { body?: string }).body, 'hello');
    // Every try is signed with the destination's secret, verified as a Standard Webhooks receiver does.
    for (const r of rx.received) new Webhook(d.secret).verify(r.body, r.headers as Record<string, string>);
    let attempts: Array<Record<string, unknown>> = [];
    await waitFor('three attempts logged', async () => {
      attempts = (await w.api('GET', `/api/v1/destinations/${d.id}/attempts`))?.json[
        'data'
      ] as typeof attempts;
      return attempts.length === 3;
    });
    assert.deepEqual(
      attempts.map((a) => [a['attempt'], a['ok'], a['status'], a['error'], a['response_excerpt']]),
      [
        [3, true, 200, null, 'ok'],
        [2, false, 503, 'the receiver answered 503', 'busy 2'],
        [1, false, 503, 'the receiver answered 503', 'busy 1'],
      ],
    );
    assert.equal(attempts[0]?.['event_name'], 'message.text');
    assert.equal(typeof attempts[0]?.['duration_ms'], 'number');
    assert.ok(attempts[0]?.['event_id']);
  });

  test('after the last scheduled attempt the row is a dead letter, and wharf.dead_letter reaches a destination that asked for it', async () => {
    const rx = await bed.receiver(() => ({ status: 500 }));
    const alerts = await bed.receiver();
    const w = await bed.wharf();
    const d = await create({ name: 'down', kind: 'http', url: rx.url, filter: { events: ['message.'] } });
    await create({ name: 'alerts', kind: 'http', url: alerts.url, filter: { events: ['wharf.'] } });
    await w.deliver(textDelivery('wamid.D1', 1767225600, 'hello'));
    await waitFor('wharf.dead_letter at the alerts receiver', () => alerts.received.length === 1, 10_000);
    assert.equal(rx.received.length, 3, 'the schedule has three attempts');
    const alert = alerts.received[0]?.json as { name: string; data: Record<string, unknown> };
    assert.equal(alert.name, 'wharf.dead_letter');
    assert.equal(alert.data['target'], `destination:${d.id}`);
    assert.equal(alert.data['event_name'], 'message.text');
    assert.equal(alert.data['attempts'], 3);
    const dead = await w.api('GET', `/api/v1/dead-letters?target=destination:${d.id}`);
    assert.equal((dead.json['data'] as unknown[]).length, 1);
  });

  test('a 410 Gone disables the destination with its reason; later events get no rows for it', async () => {
    const rx = await bed.receiver(() => ({ status: 410, body: 'gone' }));
    const w = await bed.wharf();
    const d = await create({ name: 'gone', kind: 'http', url: rx.url });
    await w.deliver(textDelivery('wamid.G1', 1767225600, 'one'));
    let got: Record<string, unknown> = {};
    await waitFor('disabled', async () => {
      got = (await w.api('GET', `/api/v1/destinations/${d.id}`))?.json ?? {};
      return got['enabled'] === false;
    });
    assert.equal(got['disabled_reason'], 'the receiver answered 410 Gone');
    await w.deliver(textDelivery('wamid.G2', 1767225601, 'two'));
    await w.deliver(textDelivery('wamid.G3', 1767225602, 'three'));
    await waitFor('both processed', async () => {
      const e = await w.api('GET', '/api/v1/events?name=message.text');
      return (e?.json['data'] as unknown[]).length === 3;
    });
    assert.equal(rx.received.length, 1, 'nothing more is sent to a disabled destination');
  });

  test('a destination created later receives events from then on; replay reaches back to the earlier ones', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    await w.deliver(textDelivery('wamid.L1', 1767225600, 'before'));
    await waitFor(
      'processed',
      async () => ((await w.api('GET', '/api/v1/events'))?.json['data'] as unknown[]).length === 1,
    );
    const d = await create({ name: 'late', kind: 'http', url: rx.url });
    await w.deliver(textDelivery('wamid.L2', 1767225660, 'after'));
    await waitFor('the later event', () => rx.received.length === 1);
    assert.equal((rx.received[0]?.json['data'] as { body: string }).body, 'after');
    const r = await w.api('POST', `/api/v1/destinations/${d.id}/replay`, {
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-02T00:00:00Z',
    });
    assert.equal(r.status, 202, r.body);
    assert.equal(r.json['queued'], 2, 'the earlier event, and the later one again');
    await waitFor('replayed', () => rx.received.length === 3);
    const bodies = rx.received.slice(1).map((x) => (x.json['data'] as { body: string }).body);
    assert.deepEqual(bodies.sort(), ['after', 'before']);
  });

  test('filters: names, prefixes, phone numbers, error codes and error actions decide which events a destination gets', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    const byUrl = (name: string) => `${rx.url}?d=${name}`;
    await create({
      name: 'failed',
      kind: 'http',
      url: byUrl('failed'),
      filter: { events: ['status.failed'] },
    });
    await create({ name: 'statuses', kind: 'http', url: byUrl('statuses'), filter: { events: ['status.'] } });
    await create({
      name: 'other-number',
      kind: 'http',
      url: byUrl('other'),
      filter: { phone_number_ids: ['1'] },
    });
    await create({ name: 'code', kind: 'http', url: byUrl('code'), filter: { error_codes: [131026] } });
    await create({
      name: 'fallback',
      kind: 'http',
      url: byUrl('fallback'),
      filter: { error_actions: ['fallback'] },
    });
    await w.deliver(
      statusDelivery(
        { wamid: 'wamid.S1', status: 'delivered', ts: 1767225600 },
        { wamid: 'wamid.S2', status: 'failed', ts: 1767225601, errorCode: 131026 },
        { wamid: 'wamid.S3', status: 'failed', ts: 1767225602, errorCode: 131047 },
      ),
    );
    // failed: S2, S3; statuses: S1-S3; other-number: none; code 131026: S2; fallback (131026): S2.
    await waitFor('seven hand-offs', () => rx.received.length === 7);
    await new Promise((r) => setTimeout(r, 100)); // anything wrongly routed would have arrived by now
    const got: Record<string, string[]> = {};
    for (const r of rx.received) {
      const d = new URL(r.url, 'http://x').searchParams.get('d') as string;
      (got[d] ??= []).push(String(r.json['wamid']));
    }
    for (const list of Object.values(got)) list.sort();
    assert.deepEqual(got, {
      failed: ['wamid.S2', 'wamid.S3'],
      statuses: ['wamid.S1', 'wamid.S2', 'wamid.S3'],
      code: ['wamid.S2'],
      fallback: ['wamid.S2'],
    });
  });
});
