/**
 * `transform` through a running Wharf (docs/destinations.md, "Transforms"): refused at creation when
 * it does not compile (422 naming the expression's error), applied to every body sent, shown in the
 * attempt log; an expression failing on an event, or running away, fails that attempt only.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationTestBed } from '../../helpers/destination-test-bed.js';
import { textDelivery } from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';
import type { DestinationWharf } from '../../helpers/start-destination-wharf.js';

const AIRTABLE =
  '{"records": [{"fields": {"Phone": contact.wa_id, "Name": contact.name, "Message": data.body, "Received": occurred_at}}]}';
const RUNAWAY = '($loop := function($i) { $i < 0 ? $i : $loop($i + 1) }; $loop(0))';

type Attempt = Record<string, unknown>;

async function attempts(w: DestinationWharf, id: string): Promise<Attempt[]> {
  return (await w.api('GET', `/api/v1/destinations/${id}/attempts`)).json['data'] as Attempt[];
}

describe('destinations: transform', { timeout: 60_000 }, () => {
  const bed = destinationTestBed();

  test('a transform that does not compile answers 422 naming its error, on create and on change, and stores nothing', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    const bad = await w.api('POST', '/api/v1/destinations', {
      name: 'broken',
      kind: 'http',
      url: rx.url,
      transform: '{"records": [{"fields": {"Name": contact.name}]}',
    });
    assert.equal(bad.status, 422, bad.body);
    const err = bad.json['error'] as { code: string; message: string };
    assert.equal(err.code, 'DESTINATION_INVALID');
    assert.match(err.message, /: transform does not compile: .* at character \d+ \[S0\d{3}\]$/);
    assert.deepEqual((await w.api('GET', '/api/v1/destinations')).json['data'], []);

    const d = await bed.create({ name: 'fine', kind: 'http', url: rx.url, transform: '{"n": name}' });
    assert.equal(d['transform'], '{"n": name}');
    const patch = await w.api('PATCH', `/api/v1/destinations/${d.id}`, { transform: '$string(' });
    assert.equal(patch.status, 422);
    assert.match((patch.json['error'] as { message: string }).message, /: transform does not compile/);
    assert.equal((await w.api('GET', `/api/v1/destinations/${d.id}`)).json['transform'], '{"n": name}');

    const sink = await w.api('POST', '/api/v1/destinations', {
      name: 'db',
      kind: 'mysql',
      url: 'mysql://root@127.0.0.1:3306/test',
      table: 'wa_events',
      transform: '{"n": name}',
    });
    assert.equal(sink.status, 422);
    assert.match(
      (sink.json['error'] as { message: string }).message,
      /: transform does not apply to kind mysql/,
    );
  });

  test('an Airtable body reaches a receiver that checks Airtable’s create-records shape; the attempt log shows it', async () => {
    const rx = await bed.receiver((r) => {
      const records = r.json['records'];
      const valid =
        Array.isArray(records) &&
        records.length >= 1 &&
        records.length <= 10 &&
        records.every((x: unknown) => typeof (x as { fields?: unknown }).fields === 'object') &&
        Object.keys(r.json).every((k) => k === 'records' || k === 'typecast');
      return valid
        ? { status: 200, body: JSON.stringify({ records: [{ id: 'rec1', createdTime: 'now', fields: {} }] }) }
        : { status: 422, body: '{"error":{"type":"INVALID_REQUEST_BODY"}}' };
    });
    const w = await bed.wharf();
    const d = await bed.create({ name: 'airtable', kind: 'http', url: rx.url, transform: AIRTABLE });
    assert.equal((await w.deliver(textDelivery('wamid.AT1', 1767225600, 'Where is my order?'))).status, 200);
    await waitFor('the record at the receiver', () => rx.received.length === 1);
    assert.deepEqual(rx.received[0]?.json, {
      records: [
        {
          fields: {
            Phone: '447700900123',
            Name: 'Ana Ruiz',
            Message: 'Where is my order?',
            Received: '2026-01-01T00:00:00.000Z',
          },
        },
      ],
    });
    let log: Attempt[] = [];
    await waitFor('the attempt logged', async () => (log = await attempts(w, d.id)).length === 1);
    assert.equal(log[0]?.['ok'], true);
    assert.equal(log[0]?.['body_excerpt'], rx.received[0]?.body, 'the body sent, as sent');
  });

  test('a transform failing on one event fails that attempt only: the other events are delivered', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    const d = await bed.create({
      name: 'picky',
      kind: 'http',
      url: rx.url,
      transform: 'data.body = "boom" ? $error("no boom please") : {"text": data.body}',
    });
    await w.deliver(textDelivery('wamid.P1', 1767225600, 'hello'));
    await w.deliver(textDelivery('wamid.P2', 1767225601, 'boom'));
    await w.deliver(textDelivery('wamid.P3', 1767225602, 'bye'));
    await waitFor('both good events at the receiver', () => rx.received.length === 2);
    let log: Attempt[] = [];
    // The retry schedule of the test Wharf has three attempts: the failing event uses them all.
    await waitFor('the failing event’s attempts logged', async () => {
      log = await attempts(w, d.id);
      return log.filter((a) => a['ok'] === false).length === 3;
    });
    assert.deepEqual(rx.received.map((r) => r.json['text']).sort(), ['bye', 'hello']);
    for (const a of log.filter((x) => x['ok'] === false)) {
      assert.match(String(a['error']), /transform failed on this event: no boom please/);
      assert.equal(a['status'], null);
      assert.equal(a['body_excerpt'], null, 'nothing was sent');
    }
  });

  test('a runaway transform fails its attempts after the time limit; another destination and the webhook keep going', async () => {
    const slow = await bed.receiver();
    const fast = await bed.receiver();
    const w = await bed.wharf();
    const d = await bed.create({ name: 'runaway', kind: 'http', url: slow.url, transform: RUNAWAY });
    await bed.create({ name: 'plain', kind: 'http', url: fast.url });
    for (let i = 0; i < 3; i++)
      assert.equal((await w.deliver(textDelivery(`wamid.R${i}`, 1767225600 + i, `m${i}`))).status, 200);
    await waitFor('every event at the plain destination', () => fast.received.length === 3, 20_000);
    await waitFor(
      'the runaway attempts logged as failed',
      async () => (await attempts(w, d.id)).length >= 3,
      20_000,
    );
    for (const a of await attempts(w, d.id)) {
      assert.equal(a['ok'], false);
      assert.match(String(a['error']), /transform ran longer than 250 ms on this event/);
    }
    assert.equal(slow.received.length, 0, 'nothing was sent by the runaway destination');
  });

  test('POST …/test applies the transform; one failing on the sample event is the answer’s error', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    const d = await bed.create({ name: 'airtable', kind: 'http', url: rx.url, transform: AIRTABLE });
    const t = await w.api('POST', `/api/v1/destinations/${d.id}/test`);
    assert.equal(t.json['ok'], true, t.body);
    const fields = (rx.received[0]?.json['records'] as Array<{ fields: Record<string, unknown> }>)[0]?.fields;
    assert.equal(fields?.['Name'], 'Wharf test');
    const e = await bed.create({
      name: 'bad',
      kind: 'http',
      url: rx.url,
      transform: '$error("not for samples")',
    });
    const u = await w.api('POST', `/api/v1/destinations/${e.id}/test`);
    assert.equal(u.json['ok'], false);
    assert.match(String(u.json['error']), /not for samples/);
    assert.equal(rx.received.length, 1, 'a failing transform sends nothing');
  });
});
