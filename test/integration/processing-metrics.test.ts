import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createHarness } from '../helpers/processing-harness.js';
import { Processor } from '../../src/app/processor.js';
import { createProcessingMetrics } from '../../src/observability/processing-metrics.js';

/** A signed-looking delivery whose only change is a webhook field Wharf does not know. */
const unknownField = (field: string) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', time: 1767225600, changes: [{ field, value: { any: field } }] }],
  });

test('wharf_unknown_events_total keeps its field label bounded: odd names and fields past the first 50 count as "other"', async () => {
  const h = createHarness();
  try {
    const registry = new Registry();
    const metrics = createProcessingMetrics(registry);
    for (let i = 0; i < 60; i++) h.add(unknownField(`new_field_${i}`));
    h.add(unknownField('x'.repeat(5000)));
    h.add(unknownField('Spaces and {braces}'));
    const p = new Processor({
      store: h.store,
      targets: [],
      logger: pino({ level: 'silent' }),
      metrics,
      batchSize: 100,
      leaseMs: 30_000,
    });
    assert.equal(await p.drain(), 62);
    const values = (await metrics.unknownEvents.get()).values;
    const fields = new Map(values.map((v) => [String(v.labels['field']), v.value]));
    assert.equal(fields.size, 51, 'at most 50 distinct fields, then "other"');
    assert.equal(fields.get('new_field_0'), 1);
    assert.equal(fields.get('other'), 12, '10 past the bound and the 2 odd names');
    const total = values.reduce((n, v) => n + v.value, 0);
    assert.equal(total, 62, 'every unknown event is still counted');
  } finally {
    await h.close();
  }
});
