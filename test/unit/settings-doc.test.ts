import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SETTINGS } from '../../src/config/schema.js';

describe('settings documentation', () => {
  test('WHATSAPP_ACCESS_TOKEN names what uses it: sending, media downloads and wharf doctor', () => {
    const doc = SETTINGS.WHATSAPP_ACCESS_TOKEN.doc;
    for (const use of [/wharf doctor/, /POST \/api\/v1\/messages/, /WHARF_MEDIA_DOWNLOAD/])
      assert.match(doc, use);
    const operations = readFileSync('docs/operations.md', 'utf8');
    const row = operations.split('\n').find((l) => l.startsWith('| `WHATSAPP_ACCESS_TOKEN`'));
    for (const use of ['wharf doctor', 'POST /api/v1/messages', 'WHARF_MEDIA_DOWNLOAD'])
      assert.ok(row?.includes(use), `docs/operations.md shows ${use}`);
  });
});
