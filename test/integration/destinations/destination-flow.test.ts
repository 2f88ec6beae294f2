/**
 * Destinations through real HTTP, continued: format `meta` verified as an existing WhatsApp app
 * would, secret rotation, `ordering: contact`, Retry-After (on a fixed clock: the scheduled
 * next_attempt_at is asserted, never a duration), and disabling after continuous failure.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { destinationTestBed } from '../../helpers/destination-test-bed.js';
import { Webhook } from 'standardwebhooks';
import { statusDelivery, textDelivery } from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';
import { verifySignature } from '../../../src/core/verify-signature.js';
import { parseDelivery } from '../../../src/core/parse-delivery.js';
import { normalizeDelivery } from '../../../src/core/normalize-delivery.js';

const T = Date.parse('2026-01-01T00:00:00Z');

function eventsOf(body: string | Uint8Array) {
  const parsed = parseDelivery(body);
  assert.ok(parsed.ok);
  return normalizeDelivery(parsed.envelope);
}

describe('destinations: formats, rotation, ordering, Retry-After, disabling', { timeout: 60_000 }, () => {
  const bed = destinationTestBed();
  const create = bed.create;

  test('format meta: an envelope of the one item, X-Hub-Signature-256 verified with the secret, normalized back into the same event', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    const d = await create({ name: 'legacy-app', kind: 'http', url: rx.url, format: 'meta' });
    const delivery = statusDelivery(
      { wamid: 'wamid.M1', status: 'delivered', ts: 1767225600 },
      { wamid: 'wamid.M2', status: 'failed', ts: 1767225601, errorCode: 131026 },
    );
    await w.deliver(textDelivery('wamid.M0', 1767225599, 'héllo ✓'));
    await w.deliver(delivery);
    await waitFor('three envelopes', () => rx.received.length === 3);
    const original = [...eventsOf(textDelivery('wamid.M0', 1767225599, 'héllo ✓')), ...eventsOf(delivery)];
    for (const r of rx.received) {
      const raw = Buffer.from(r.body);
      const header = r.headers['x-hub-signature-256'] as string;
      assert.deepEqual(verifySignature(raw, header, [d.secret]), { ok: true, secretIndex: 0 });
      const events = eventsOf(raw);
      assert.equal(events.length, 1, 'only that event’s item');
      const same = original.find((e) => e.key === events[0]?.key);
      assert.deepEqual(events[0], same);
    }
    assert.equal(rx.received[0]?.json['object'], 'whatsapp_business_account');
  });

  test('rotation: during the grace period every hand-off is signed by both secrets; the new secret is shown once', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    const d = await create({ name: 'rotating', kind: 'http', url: rx.url });
    const rot = await w.api('POST', `/api/v1/destinations/${d.id}/rotate-secret`, { grace_hours: 1 });
    assert.equal(rot.status, 200, rot.body);
    const next = rot.json['secret'] as string;
    assert.match(next, /^whsec_/);
    assert.notEqual(next, d.secret);
    const shown = await w.api('GET', `/api/v1/destinations/${d.id}`);
    assert.ok(!shown.body.includes(next) && !shown.body.includes(d.secret), 'never shown after');
    await w.deliver(textDelivery('wamid.R1', 1767225600, 'hi'));
    await waitFor('delivered', () => rx.received.length === 1);
    const r = rx.received[0] as { body: string; headers: Record<string, string> };
    assert.equal(r.headers['webhook-signature']?.split(' ').length, 2, 'one signature per live secret');
    // A receiver holding either secret accepts it (the standardwebhooks package, as receivers use it).
    for (const secret of [next, d.secret]) new Webhook(secret).verify(r.body, r.headers);
    const other = `whsec_${Buffer.from('not the secret, not at all!!').toString('base64')}`;
    assert.throws(() => new Webhook(other).verify(r.body, r.headers));
  });

  test('ordering contact: one contact failing for a while holds back only its own events, each contact gets its events in occurrence order', async () => {
    let failing = true;
    const rx = await bed.receiver((r) => {
      const contact = (r.json['contact'] as { wa_id: string }).wa_id;
      return failing && contact === '111' ? { status: 503 } : { status: 200 };
    });
    const w = await bed.wharf({
      WHARF_DESTINATION_RETRY_SCHEDULE: '0,5ms,5ms,5ms,5ms,5ms,5ms,5ms,5ms,5ms',
    });
    await create({ name: 'ordered', kind: 'http', url: rx.url, ordering: 'contact', max_in_flight: 10 });
    // Each contact's messages are posted newest first: the order kept is occurrence, not arrival.
    for (const [from, base] of [
      ['111', 1767225600],
      ['222', 1767225700],
    ] as const)
      for (let i = 3; i >= 1; i--)
        await w.deliver(textDelivery(`wamid.${from}.${i}`, base + i, `${from}-${i}`, from));
    await waitFor(
      'the other contact, all three',
      () =>
        rx.received.filter(
          (x) => x.json['wamid'] !== undefined && (x.json['contact'] as { wa_id: string }).wa_id === '222',
        ).length === 3,
    );
    const of = (c: string) =>
      rx.received
        .filter((x) => (x.json['contact'] as { wa_id: string }).wa_id === c)
        .map((x) => x.json['wamid']);
    assert.deepEqual(of('222'), ['wamid.222.1', 'wamid.222.2', 'wamid.222.3']);
    assert.ok(
      of('111').every((m) => m === 'wamid.111.1'),
      'only the head of the stuck contact was tried',
    );
    failing = false;
    await waitFor('the stuck contact, after it recovers', () => new Set(of('111')).size === 3);
    const firstSeen = [...new Set(of('111'))];
    assert.deepEqual(firstSeen, ['wamid.111.1', 'wamid.111.2', 'wamid.111.3']);
  });

  test('Retry-After sets the next attempt, capped at the next step of the schedule', async () => {
    let now = T;
    const rx = await bed.receiver((_r, n) => ({
      status: 429,
      headers: { 'retry-after': n === 1 ? '60' : '100000' },
    }));
    const w = await bed.wharf({ WHARF_DESTINATION_RETRY_SCHEDULE: '0,10s,1h,2h' }, { clock: () => now });
    await create({ name: 'throttled', kind: 'http', url: rx.url });
    await w.deliver(textDelivery('wamid.RA', 1767225600, 'hi'));
    const db = new Database(w.dbPath, { readonly: true });
    const row = () =>
      db
        .prepare(`SELECT attempts, next_attempt_at, state FROM outbox WHERE target LIKE 'destination:%'`)
        .get() as { attempts: number; next_attempt_at: number; state: string } | undefined;
    try {
      await waitFor('first attempt recorded', () => row()?.attempts === 1);
      assert.equal(row()?.next_attempt_at, T + 60_000, 'the receiver’s 60 s (more than the scheduled 10 s)');
      now = T + 60_000;
      // The dispatcher looks every 20 ms (pollMs) and finds the row due on the moved clock.
      await waitFor('second attempt recorded', () => row()?.attempts === 2);
      assert.equal(
        row()?.next_attempt_at,
        T + 60_000 + 2 * 3_600_000,
        '100000 s capped at the step after (2 h)',
      );
    } finally {
      db.close();
    }
  });

  test('failing without a success: wharf.destination.failing at half the time, then disabled with wharf.destination.disabled', async () => {
    let now = T;
    const rx = await bed.receiver(() => ({ status: 500 }));
    const alerts = await bed.receiver();
    const w = await bed.wharf(
      {
        WHARF_DESTINATION_RETRY_SCHEDULE: '0,1m,1m,1m,1m,1m,1m,1m,1m,1m',
        WHARF_DESTINATION_DISABLE_AFTER_HOURS: 2,
      },
      { clock: () => now },
    );
    const d = await create({ name: 'broken', kind: 'http', url: rx.url });
    await create({
      name: 'ops',
      kind: 'http',
      url: alerts.url,
      filter: { events: ['wharf.destination.'] },
    });
    await w.deliver(textDelivery('wamid.H1', 1767225600, 'hi'));
    await waitFor('a first failure, logged', async () => {
      const log = await w.api('GET', `/api/v1/destinations/${d.id}/attempts`);
      return (log?.json['data'] as unknown[]).length === 1;
    });
    now = T + 60 * 60_000 + 1; // half of 2 h
    await waitFor('failing alert', () => alerts.received.length === 1);
    const failing = alerts.received[0]?.json as { name: string; data: Record<string, unknown> };
    assert.equal(failing.name, 'wharf.destination.failing');
    assert.equal(failing.data['destination_id'], d.id);
    assert.equal(failing.data['disable_at'], T + 2 * 3_600_000);
    // Moving the clock past the lease of a row still in flight would rightly send it again.
    const db = new Database(w.dbPath, { readonly: true });
    const ops = (await w.api('GET', '/api/v1/destinations')).json['data'] as Array<{
      id: string;
      name: string;
    }>;
    const target = `destination:${ops.find((o) => o.name === 'ops')?.id}`;
    await waitFor('the alert recorded as delivered', () =>
      (db.prepare('SELECT state FROM outbox WHERE target = ?').pluck().all(target) as string[]).every(
        (s) => s === 'delivered',
      ),
    );
    db.close();
    now = T + 2 * 3_600_000;
    await waitFor('disabled alert', () => alerts.received.length === 2);
    assert.equal(alerts.received[1]?.json['name'], 'wharf.destination.disabled');
    const got = await w.api('GET', `/api/v1/destinations/${d.id}`);
    assert.equal(got.json['enabled'], false);
    assert.match(String(got.json['disabled_reason']), /failing without a success for 2 h/);
  });
});
