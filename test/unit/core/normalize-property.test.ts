/**
 * Property tests. The item definition below restates docs/events.md ("what is one item") on its
 * own, independently of the normalizer, so the count check is a real cross-check.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeDelivery } from '../../../src/core/normalize-delivery.js';
import { parseDelivery } from '../../../src/core/parse-delivery.js';
import { KNOWN_FIELDS } from '../../../src/meta/fields.js';
import { fixtureJson, fixturePaths } from '../../helpers/fixtures.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObj = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const KNOWN = new Set<string>(KNOWN_FIELDS);
const ARRAY_FIELDS: Record<string, readonly string[]> = {
  messages: ['messages', 'statuses', 'errors'],
  calls: ['calls', 'statuses', 'errors'],
  user_preferences: ['user_preferences'],
  user_id_update: ['user_id_update'],
  smb_app_state_sync: ['state_sync'],
  smb_message_echoes: ['message_echoes'],
  message_echoes: ['message_echoes'],
  automatic_events: ['automatic_events'],
  group_lifecycle_update: ['groups'],
  group_participants_update: ['groups'],
  group_participant_update: ['groups'],
  group_settings_update: ['groups'],
  group_status_update: ['groups'],
};

/** Items under `keys`: absent/null → 0, not an array → 1 (reported as unknown), else its length. */
function arrays(v: Record<string, Json>, keys: readonly string[]): number {
  let n = 0;
  for (const k of keys) {
    const a = v[k];
    if (a === undefined || a === null) continue;
    n += Array.isArray(a) ? a.length : 1;
  }
  return n;
}

function historyItems(v: Record<string, Json>): number {
  let n = arrays(v, ['messages', 'message_echoes']);
  const h = v['history'];
  if (h !== undefined && h !== null && !Array.isArray(h)) n += 1;
  for (const chunk of Array.isArray(h) ? h : []) {
    if (!isObj(chunk)) {
      n += 1;
      continue;
    }
    let c = Array.isArray(chunk['errors']) ? chunk['errors'].length : 0;
    for (const t of Array.isArray(chunk['threads']) ? chunk['threads'] : []) {
      if (isObj(t) && Array.isArray(t['messages'])) c += t['messages'].length;
    }
    n += Math.max(c, 1);
  }
  return n;
}

function fieldItems(field: string, v: Record<string, Json>): number {
  const keys = ARRAY_FIELDS[field];
  if (keys !== undefined) return Math.max(arrays(v, keys), 1);
  if (field === 'history') return Math.max(historyItems(v), 1);
  if (field === 'standby') {
    const s = v['standby'];
    return isObj(s) ? Math.max(arrays(s, ['messages', 'statuses', 'message_echoes']), 1) : 1;
  }
  return 1;
}

function expectedEvents(delivery: Json): number {
  let n = 0;
  for (const entry of isObj(delivery) && Array.isArray(delivery['entry']) ? delivery['entry'] : []) {
    if (!isObj(entry) || !Array.isArray(entry['changes'])) {
      n += 1;
      continue;
    }
    for (const change of entry['changes']) {
      const f = isObj(change) ? change['field'] : undefined;
      const field = typeof f === 'string' ? f : typeof f === 'number' && Number.isFinite(f) ? String(f) : '';
      const value = isObj(change) ? change['value'] : undefined;
      n += isObj(change) && KNOWN.has(field) && isObj(value) ? fieldItems(field, value) : 1;
    }
  }
  return n;
}

// ---- mutations -------------------------------------------------------------------------------

interface Slot {
  parent: Json[] | Record<string, Json>;
  key: number | string;
}

function slots(v: Json, out: Slot[] = []): Slot[] {
  const children: [number | string, Json][] = Array.isArray(v)
    ? v.map((c, i) => [i, c])
    : isObj(v)
      ? Object.entries(v)
      : [];
  for (const [key, child] of children) {
    out.push({ parent: v as Slot['parent'], key });
    slots(child, out);
  }
  return out;
}

type Mutation = { at: number; op: 'replace' | 'delete' | 'duplicate' | 'retype'; value: Json };

function get(s: Slot): Json {
  return Array.isArray(s.parent) ? (s.parent[s.key as number] as Json) : (s.parent[s.key as string] as Json);
}
function set(s: Slot, v: Json): void {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = v;
  else s.parent[s.key as string] = v;
}

function apply(root: Json, m: Mutation): Json {
  const all = slots(root);
  if (all.length === 0) return m.value;
  const s = all[m.at % all.length] as Slot;
  const cur = get(s);
  if (m.op === 'replace') set(s, m.value);
  else if (m.op === 'delete') {
    if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
    else delete s.parent[s.key as string];
  } else if (m.op === 'duplicate') {
    if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 0, structuredClone(cur));
    else set(s, [cur, structuredClone(cur)]);
  } else {
    // Numbers become strings and strings numbers: the most common real-world drift (reference §0.7).
    set(
      s,
      typeof cur === 'number'
        ? String(cur)
        : typeof cur === 'string'
          ? Number(cur) || 0
          : JSON.stringify(cur),
    );
  }
  return root;
}

const pool = fixturePaths().filter((p) => !p.includes('batch-1000'));
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'duplicate', 'retype'),
  value: fc.jsonValue() as fc.Arbitrary<Json>,
});

function run(delivery: Json) {
  const parsed = parseDelivery(JSON.stringify(delivery));
  return parsed.ok ? normalizeDelivery(parsed.envelope) : null;
}

describe('normalizeDelivery properties', () => {
  test('random mutations of fixtures never make parse or normalize throw, and every item yields exactly one event', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...pool),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (path, ms) => {
          let doc = structuredClone(fixtureJson(path)) as Json;
          for (const m of ms) doc = apply(doc, m);
          const events = run(doc);
          if (events === null) return;
          assert.equal(events.length, expectedEvents(doc));
          for (const e of events) {
            assert.equal(typeof e.key, 'string');
            assert.ok(e.occurredAt === null || Number.isFinite(e.occurredAt));
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  test('arbitrary bytes and arbitrary JSON never make parse or normalize throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const r = parseDelivery(bytes);
        if (r.ok) normalizeDelivery(r.envelope);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseDelivery(JSON.stringify({ object: 'whatsapp_business_account', entry: [v] }));
        assert.ok(r.ok);
        assert.equal(normalizeDelivery(r.envelope).length, expectedEvents({ entry: [v as Json] }));
      }),
    );
  });

  const item = (path: string, key: 'messages' | 'statuses'): Json => {
    const d = fixtureJson(path) as { entry: { changes: { value: Record<string, Json[]> }[] }[] };
    return d.entry[0]?.changes[0]?.value[key]?.[0] ?? null;
  };
  const messages = pool
    .filter((p) => /^messages\/(?!batch|status|value|empty)/.test(p))
    .map((p) => item(p, 'messages'));
  const statuses = pool.filter((p) => p.startsWith('messages/status-')).map((p) => item(p, 'statuses'));

  test('a batch of any shape (entries × changes × messages and statuses mixed) yields one event per item', () => {
    const change = fc.record({
      messages: fc.array(fc.constantFrom(...messages), { maxLength: 6 }),
      statuses: fc.array(fc.constantFrom(...statuses), { maxLength: 6 }),
    });
    const entries = fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(entries, (shape) => {
        const delivery = {
          object: 'whatsapp_business_account',
          entry: shape.map((changes, i) => ({
            id: `80000000000000${i}`,
            changes: changes.map((c) => ({
              field: 'messages',
              value: {
                metadata: { phone_number_id: '900000000000001' },
                messages: c.messages,
                statuses: c.statuses,
              },
            })),
          })),
        };
        const events = run(delivery as unknown as Json) ?? [];
        const items = shape
          .flat()
          .reduce((n, c) => n + Math.max(c.messages.length + c.statuses.length, 1), 0);
        assert.equal(events.length, items);
        const wamids = shape
          .flat()
          .flatMap((c) => [...c.messages, ...c.statuses].map((m) => (m as { id: string }).id));
        assert.deepEqual(
          events.filter((e) => e.name !== 'unknown').map((e) => e.wamid),
          shape.flat().flatMap((c) => [...c.messages, ...c.statuses].map((m) => (m as { id: string }).id)),
        );
        assert.ok(wamids.every((w) => events.some((e) => e.wamid === w)));
      }),
      { numRuns: 300 },
    );
  });
});
