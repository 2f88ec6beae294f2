import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { itemPaths } from '../../src/core/item-paths.js';
import { parseDelivery, type DeliveryEnvelope } from '../../src/core/parse-delivery.js';
import { normalizeDelivery } from '../../src/core/normalize-delivery.js';
import { fixtureBytes, fixturePaths } from '../helpers/fixtures.js';

/** The value at a path of the shape itemPaths writes ($.a[0].b …), read from the parsed body. */
function at(envelope: DeliveryEnvelope, path: string): unknown {
  assert.match(path, /^\$(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])?)+$/);
  let v: unknown = envelope;
  for (const [, name, index] of path.slice(2).matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?/g)) {
    v = (v as Record<string, unknown>)[name as string];
    if (index !== undefined) v = (v as unknown[])[Number(index)];
  }
  return v;
}

const envelopeOf = (body: unknown) => {
  const parsed = parseDelivery(JSON.stringify(body));
  assert.ok(parsed.ok);
  return parsed.envelope;
};

describe('where each event’s raw item is in its delivery body', () => {
  test('every fixture: a path leads to the very item the event carries, and every message and status item has one', () => {
    let withPath = 0;
    for (const file of fixturePaths()) {
      const parsed = parseDelivery(fixtureBytes(file));
      if (!parsed.ok) continue;
      const events = normalizeDelivery(parsed.envelope);
      const paths = itemPaths(parsed.envelope, events);
      assert.equal(paths.length, events.length, file);
      events.forEach((e, i) => {
        const path = paths[i];
        if (path === undefined) {
          const item = typeof e.raw === 'object' && e.raw !== null;
          const listed = e.name.startsWith('message.') || e.name.startsWith('status.');
          assert.ok(!(item && listed), `${file}: ${e.name}`);
          return;
        }
        withPath++;
        assert.equal(at(parsed.envelope, path), e.raw, `${file}: ${e.name} at ${path}`);
      });
    }
    assert.ok(withPath > 100, `${withPath} events with a path`);
  });

  test('items of a value’s arrays, a value, a change and an entry are found; an item made or nested deeper is not', () => {
    const deep = { id: 'deep' };
    const status = { id: 'wamid.S', status: 'read' };
    const value = { statuses: [{ id: 'other' }, status], history: [{ threads: [deep] }] };
    const change = { field: 'x', value };
    const entry = { id: 'waba', changes: [{ field: 'y' }, change] };
    const envelope = envelopeOf({ object: 'whatsapp_business_account', entry: [{ id: 'first' }, entry] });
    const [parsedEntry] = envelope.entry.slice(1) as Array<typeof entry>;
    const parsedChange = parsedEntry!.changes[1] as typeof change;
    const v = parsedChange.value;
    const events = [
      { raw: v.statuses[1] },
      { raw: v },
      { raw: parsedChange },
      { raw: parsedEntry },
      { raw: v.history[0]!.threads[0] },
      { raw: { ...status } },
      { raw: 'text' },
      { raw: null },
      { raw: v.statuses[1] },
    ];
    assert.deepEqual(itemPaths(envelope, events), [
      '$.entry[1].changes[1].value.statuses[1]',
      '$.entry[1].changes[1].value',
      '$.entry[1].changes[1]',
      '$.entry[1]',
      undefined,
      undefined,
      undefined,
      undefined,
      '$.entry[1].changes[1].value.statuses[1]',
    ]);
  });

  test('an array under a member name a path would have to quote is not searched', () => {
    const envelope = envelopeOf({
      entry: [{ changes: [{ value: { 'odd name': [{ a: 1 }], ok: [{ b: 2 }] } }] }],
    });
    const value = (envelope.entry[0] as { changes: Array<{ value: Record<string, unknown[]> }> }).changes[0]!
      .value;
    assert.deepEqual(itemPaths(envelope, [{ raw: value['odd name']![0] }, { raw: value['ok']![0] }]), [
      undefined,
      '$.entry[0].changes[0].value.ok[0]',
    ]);
  });
});
