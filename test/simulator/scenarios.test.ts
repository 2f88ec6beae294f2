import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeJson } from '../../src/simulator/escape-json.js';
import { createScenarioContext } from '../../src/simulator/scenarios/context.js';
import { HISTORY_MAX_BYTES } from '../../src/simulator/scenarios/history.js';
import { findScenarios, SCENARIOS } from '../../src/simulator/scenarios/index.js';
import { statusBatch } from '../../src/simulator/scenarios/status-batch.js';
import type { Delivery, ScenarioPlan, Step } from '../../src/simulator/scenarios/types.js';
import { countEvents, MESSAGE_TYPES } from './count-events.js';

const NOW = 1767225600;
const plan = (name: string, seed = 11): ScenarioPlan =>
  (findScenarios([name])[0] as (typeof SCENARIOS)[number]).build(
    createScenarioContext({ seed, now: NOW, scenario: name }),
  );
const bodies = (steps: readonly Step[]): Delivery[] =>
  steps.flatMap((s) => (s.kind === 'delivery' ? [s.body] : []));
const items = (p: ScenarioPlan, key: string): Array<Record<string, unknown>> =>
  bodies(p.steps).flatMap((b) =>
    b.entry.flatMap((e) => e.changes.flatMap((c) => (c.value[key] ?? []) as Array<Record<string, unknown>>)),
  );
const EVENT_NAME = /^(unknown|(message|status|template|account|phone_number|user|history)\.[a-z_]+)$/;

describe('every scenario', () => {
  for (const scenario of SCENARIOS) {
    describe(scenario.name, () => {
      const p = plan(scenario.name);

      it('has a one-line description and at least one delivery', () => {
        assert.ok(scenario.description.length > 10 && !scenario.description.includes('\n'));
        assert.ok(bodies(p.steps).length > 0);
      });

      it('builds valid whatsapp_business_account envelopes with non-empty entries and changes', () => {
        for (const body of bodies(p.steps)) {
          const parsed = JSON.parse(escapeJson(body)) as Delivery;
          assert.deepEqual(parsed, body);
          assert.equal(parsed.object, 'whatsapp_business_account');
          assert.ok(parsed.entry.length > 0);
          for (const e of parsed.entry) {
            assert.match(e.id, /^\d+$/);
            assert.ok(e.changes.length > 0);
            for (const c of e.changes) assert.ok(c.field.length > 0 && typeof c.value === 'object');
          }
        }
      });

      it('expects event names from design §4 matching what the payloads contain', () => {
        for (const name of Object.keys(p.expect.events)) assert.match(name, EVENT_NAME);
        assert.deepEqual(countEvents(p.steps), p.expect.events);
      });

      it('is reproducible: same seed and time give the same bytes, another seed other ids', () => {
        const again = plan(scenario.name);
        assert.deepEqual(bodies(again.steps).map(escapeJson), bodies(p.steps).map(escapeJson));
        assert.notDeepEqual(
          bodies(plan(scenario.name, 12).steps).map(escapeJson),
          bodies(p.steps).map(escapeJson),
        );
      });
    });
  }
});

describe('scenario specifics', () => {
  it('inbound-all-types sends every message type of reference §4.1', () => {
    const types = new Set(items(plan('inbound-all-types'), 'messages').map((m) => m['type']));
    for (const t of MESSAGE_TYPES) assert.ok(types.has(t), `missing ${t}`);
  });

  it('status-failures carries the five error codes, without contacts or pricing', () => {
    const p = plan('status-failures');
    const codes = items(p, 'statuses').map((s) => (s['errors'] as Array<{ code: number }>)[0]?.code);
    assert.deepEqual(codes, [131026, 131047, 131049, 131050, 132015]);
    assert.equal(items(p, 'contacts').length, 0);
    assert.ok(items(p, 'statuses').every((s) => s['pricing'] === undefined));
  });

  it('status-lifecycle puts pricing on sent and delivered only, and ends read', () => {
    const statuses = items(plan('status-lifecycle'), 'statuses');
    assert.deepEqual(
      statuses.map((s) => [s['status'], s['pricing'] !== undefined]),
      [
        ['sent', true],
        ['delivered', true],
        ['read', false],
      ],
    );
  });

  it('status-out-of-order sends statuses whose timestamps go backwards', () => {
    const times = items(plan('status-out-of-order'), 'statuses').map((s) => Number(s['timestamp']));
    assert.ok(times.some((t, i) => i > 0 && t < (times[i - 1] as number)));
  });

  it('bsuid-only-contact never reveals a phone number; username is absent on sent', () => {
    const p = plan('bsuid-only-contact');
    const text = JSON.stringify(bodies(p.steps));
    for (const key of ['"wa_id"', '"from"', '"recipient_id"']) assert.ok(!text.includes(key), key);
    const [inboundBody, sentBody] = bodies(p.steps).map((b) => JSON.stringify(b));
    assert.ok(inboundBody?.includes('"username"'));
    assert.ok(!sentBody?.includes('"username"'));
  });

  it('batched-delivery has several entries, several changes in an entry and several items in a change', () => {
    const [body] = bodies(plan('batched-delivery').steps);
    assert.ok(body && body.entry.length >= 2);
    assert.ok(body.entry.some((e) => e.changes.length >= 3));
    assert.ok(
      body.entry.some((e) => e.changes.some((c) => ((c.value['messages'] ?? []) as unknown[]).length >= 3)),
    );
  });

  it('duplicate-retries sends one delivery twice and repeats a status inside another batch', () => {
    const p = plan('duplicate-retries');
    assert.ok(p.steps.some((s) => s.kind === 'delivery' && s.times === 2));
    const ids = items(p, 'statuses').map((s) => `${String(s['id'])}/${String(s['status'])}`);
    assert.ok(ids.length > new Set(ids).size);
  });

  it('history-near-3mb is just under 3 MB once escaped and holds thousands of messages', () => {
    const [body] = bodies(plan('history-near-3mb').steps);
    const size = Buffer.byteLength(escapeJson(body));
    assert.ok(size <= HISTORY_MAX_BYTES && size > HISTORY_MAX_BYTES - 2_000, `size ${size}`);
    assert.ok((plan('history-near-3mb').expect.events['history.message'] ?? 0) > 5_000);
  });

  it('the load status batch is a realistic ~1.5 KB delivery with fresh wamids each time', () => {
    const ctx = createScenarioContext({ seed: 5, now: NOW });
    const [a, b] = [statusBatch(ctx, 0), statusBatch(ctx, 0)].map(escapeJson);
    assert.ok(a && a.length > 1_200 && a.length < 1_800, `size ${a?.length}`);
    assert.notEqual(a, b);
  });

  it('findScenarios names every unknown scenario and lists the valid ones', () => {
    assert.throws(
      () => findScenarios(['status-lifecycle', 'nope']),
      /Unknown scenario: nope\. Valid names: inbound-all-types/,
    );
  });
});
