import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SETTINGS } from '../../src/config/schema.js';

describe('settings documentation', () => {
  test('WHATSAPP_ACCESS_TOKEN says what uses it: media downloads and wharf doctor', () => {
    const doc = SETTINGS.WHATSAPP_ACCESS_TOKEN.doc;
    assert.match(doc, /wharf doctor/);
    assert.match(doc, /WHARF_MEDIA_DOWNLOAD/);
    const operations = readFileSync('docs/operations.md', 'utf8');
    const row = operations.split('\n').find((l) => l.startsWith('| `WHATSAPP_ACCESS_TOKEN`'));
    assert.ok(
      row?.includes('wharf doctor') && row.includes('WHARF_MEDIA_DOWNLOAD'),
      'docs/operations.md shows it',
    );
  });
});
