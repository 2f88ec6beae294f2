import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SETTINGS } from '../../src/config/schema.js';

describe('settings documentation', () => {
  test('WHATSAPP_ACCESS_TOKEN names what uses it: sending (POST /api/v1/messages) and wharf doctor', () => {
    const doc = SETTINGS.WHATSAPP_ACCESS_TOKEN.doc;
    assert.match(doc, /wharf doctor/);
    assert.match(doc, /POST \/api\/v1\/messages/);
    const operations = readFileSync('docs/operations.md', 'utf8');
    const row = operations.split('\n').find((l) => l.startsWith('| `WHATSAPP_ACCESS_TOKEN`'));
    assert.ok(row?.includes('wharf doctor'), 'docs/operations.md shows it');
    assert.ok(row?.includes('POST /api/v1/messages'), 'docs/operations.md shows it');
  });
});
