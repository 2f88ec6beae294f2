/**
 * Flow control and isolation of destinations: a hanging receiver holds only its own max_in_flight
 * slots, rate_limit_per_second (on a clock moved by hand, so no duration is measured), and a
 * handler's dead letter announced to destinations as wharf.dead_letter.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationTestBed } from '../../helpers/destination-test-bed.js';
import { statusDelivery, textDelivery } from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';

const T = Date.parse('2026-01-01T00:00:00Z');

describe('destinations: flow control and isolation', { timeout: 60_000 }, () => {
  const bed = destinationTestBed();
  const create = bed.create;

  test('a hanging receiver holds only its own max_in_flight slots: another destination gets every event, and the webhook is still answered 200', async () => {
    const release: Array<() => void> = [];
    const hung = await bed.receiver(() => new Promise((r) => release.push(() => r({ status: 200 }))));
    const fine = await bed.receiver();
    const w = await bed.wharf();
    await create({ name: 'hung', kind: 'http', url: hung.url, max_in_flight: 2, timeout_ms: 60_000 });
    await create({ name: 'fine', kind: 'http', url: fine.url });
    for (let i = 0; i < 6; i++)
      assert.equal((await w.deliver(textDelivery(`wamid.I${i}`, 1767225600 + i, `m${i}`))).status, 200);
    await waitFor('the other destination got all six', () => fine.received.length === 6);
    await waitFor('the hanging one holds two', () => hung.received.length === 2);
    // Anything beyond max_in_flight would have been sent by now (the other destination is done).
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(hung.received.length, 2, 'never more than max_in_flight at once');
    for (const r of release.splice(0)) r();
    await waitFor('the rest once it answers', () => {
      for (const r of release.splice(0)) r();
      return hung.received.length === 6;
    });
  });

  test('rate_limit_per_second: no more attempts start than the bucket holds until the clock moves', async () => {
    let now = T;
    const rx = await bed.receiver();
    const w = await bed.wharf({}, { clock: () => now });
    await create({ name: 'slow-crm', kind: 'http', url: rx.url, rate_limit_per_second: 2 });
    for (let i = 0; i < 5; i++)
      await w.deliver(statusDelivery({ wamid: `wamid.RL${i}`, status: 'sent', ts: 1767225600 + i }));
    await waitFor('two within the first second', () => rx.received.length === 2);
    // Five events wait; with the clock standing still the bucket stays empty.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(rx.received.length, 2);
    now = T + 500;
    await waitFor('one more half a second later', () => rx.received.length === 3);
    now = T + 2000;
    await waitFor('the rest', () => rx.received.length === 5);
  });

  test("a handler's dead letter reaches a destination subscribed to wharf.dead_letter", async () => {
    const alerts = await bed.receiver();
    const w = await bed.wharf(
      { WHARF_HANDLER_MAX_ATTEMPTS: 2 },
      {
        register: (wharf) =>
          wharf.on(
            'message.text',
            () => {
              throw new Error('the CRM is down');
            },
            { id: 'crm-sync' },
          ),
      },
    );
    await create({
      name: 'alerts',
      kind: 'http',
      url: alerts.url,
      filter: { events: ['wharf.dead_letter'] },
    });
    await w.deliver(textDelivery('wamid.HD', 1767225600, 'hi'));
    await waitFor('the alert', () => alerts.received.length === 1);
    const alert = alerts.received[0]?.json as { name: string; data: Record<string, unknown> };
    assert.equal(alert.name, 'wharf.dead_letter');
    assert.equal(alert.data['target'], 'crm-sync');
    assert.equal(alert.data['attempts'], 2);
    assert.match(String(alert.data['error']), /the CRM is down/);
  });
});
