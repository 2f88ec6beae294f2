import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { replaceSettingsSection } from '../../src/config/settings-table.js';
import { ERRORS } from '../../src/errors.js';
import { errorsDoc } from '../../src/error-help.js';

describe('user documentation stays current', () => {
  test('docs/operations.md lists every setting with its default (npm run docs:settings)', () => {
    const doc = readFileSync('docs/operations.md', 'utf8');
    assert.equal(doc, replaceSettingsSection(doc), 'stale settings table: run npm run docs:settings');
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
