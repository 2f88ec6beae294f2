import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeDelivery } from '../../src/core/normalize-delivery.js';
import { parseDelivery } from '../../src/core/parse-delivery.js';
import { EVENT_CATALOG } from '../../src/events/event-names.js';
import { serializeLikeMeta } from '../../src/simulator/escape-json.js';
import { createScenarioContext } from '../../src/simulator/scenarios/context.js';
import { SCENARIOS } from '../../src/simulator/scenarios/index.js';

/** What Wharf's own normalizer makes of a scenario's bytes, de-duplicated by event key. */
function normalizedCounts(
  steps: ReturnType<(typeof SCENARIOS)[number]['build']>['steps'],
): Record<string, number> {
  const keys = new Set<string>();
  const counts: Record<string, number> = {};
  for (const step of steps) {
    if (step.kind !== 'delivery') continue;
    const parsed = parseDelivery(serializeLikeMeta(step.body));
    assert.ok(parsed.ok, 'the escaped bytes parse as a delivery');
    for (const event of normalizeDelivery(parsed.envelope)) {
      if (keys.has(event.key)) continue;
      keys.add(event.key);
      counts[event.name] = (counts[event.name] ?? 0) + 1;
    }
  }
  return counts;
}

describe("scenario expectations agree with Wharf's normalizer", () => {
  const known = new Set<string>(EVENT_CATALOG.map((e) => e.name));
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: the expected events are exactly what normalizeDelivery produces`, () => {
      const plan = scenario.build(
        createScenarioContext({ seed: 21, now: 1767225600, scenario: scenario.name }),
      );
      for (const name of Object.keys(plan.expect.events))
        assert.ok(known.has(name), `${name} is in the catalog`);
      assert.deepEqual(normalizedCounts(plan.steps), plan.expect.events);
    });
  }
});
