import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SETTINGS } from '../../src/config/schema.js';

describe('settings documentation', () => {
  test('WHATSAPP_ACCESS_TOKEN says what uses it today (wharf doctor), not media download or sending, which do not exist yet', () => {
    const doc = SETTINGS.WHATSAPP_ACCESS_TOKEN.doc;
    assert.match(doc, /wharf doctor/);
    assert.doesNotMatch(doc, /media|sending/i);
    const operations = readFileSync('docs/operations.md', 'utf8');
    const row = operations.split('\n').find((l) => l.startsWith('| `WHATSAPP_ACCESS_TOKEN`'));
    assert.ok(row?.includes('wharf doctor'), 'docs/operations.md shows it');
  });
});
