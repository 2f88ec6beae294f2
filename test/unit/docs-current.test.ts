import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { replaceSettingsSection } from '../../src/config/settings-table.js';
import { ERRORS } from '../../src/errors.js';
import { errorsDoc } from '../../src/error-help.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createProcessingMetrics } from '../../src/observability/processing-metrics.js';

describe('user documentation stays current', () => {
  test('docs/operations.md lists every setting with its default (npm run docs:settings)', () => {
    const doc = readFileSync('docs/operations.md', 'utf8');
    assert.equal(doc, replaceSettingsSection(doc), 'stale settings table: run npm run docs:settings');
  });
  test('docs/operations.md lists every metric Wharf exports, with its labels', () => {
    const doc = readFileSync('docs/operations.md', 'utf8');
    const m = createMetrics();
    createProcessingMetrics(m.registry);
    const missing: string[] = [];
    for (const metric of m.registry.getMetricsAsArray()) {
      const { name, labelNames } = metric as unknown as { name: string; labelNames: string[] };
      if (/^wharf_(process|nodejs)_/.test(name)) continue; // the default metrics, one wildcard row
      const shown = labelNames.length === 0 ? name : `${name}{${labelNames.join(',')}}`;
      if (!doc.includes(`\`${shown}\``)) missing.push(shown);
    }
    assert.deepEqual(missing, [], 'metrics missing from the Monitoring table of docs/operations.md');
    assert.ok(doc.includes('`wharf_process_*`, `wharf_nodejs_*`'));
  });
  test('docs/errors.md has an entry for every error code (npm run docs:errors)', () => {
    const doc = readFileSync('docs/errors.md', 'utf8');
    assert.equal(doc, errorsDoc(), 'stale docs/errors.md: run npm run docs:errors');
    for (const [code, e] of Object.entries(ERRORS)) {
      assert.ok(doc.includes(`<a id="${e.anchor}"></a>`), `anchor ${e.anchor}`);
      assert.ok(doc.includes(code), code);
    }
  });
  test('README.md gives the two set-up commands', () => {
    const readme = readFileSync('README.md', 'utf8');
    assert.ok(readme.includes('npm ci && npm start'));
    assert.ok(readme.includes('npm test'));
  });
});
