import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDestinationInput } from '../../../../src/core/destinations/parse-destination-input.js';
import { jsonErrorOffset } from '../../../../src/core/json-error-offset.js';

describe('parseDestinationInput', () => {
  test('create fills the defaults of design §7.2 and keeps other keys as kind settings', () => {
    const r = parseDestinationInput(
      { name: ' crm ', kind: 'http', url: 'https://x', headers: { a: 'b' } },
      'create',
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value.fields, {
      name: 'crm',
      kind: 'http',
      enabled: true,
      filter: {},
      format: 'event',
      settings: { url: 'https://x', headers: { a: 'b' } },
      timeoutMs: 10_000,
      maxInFlight: 10,
      rateLimitPerSecond: null,
      ordering: 'none',
      transform: null,
    });
  });

  test('a patch holds only what is given', () => {
    const r = parseDestinationInput({ enabled: false, filter: { waba_ids: ['1'] } }, 'patch');
    assert.ok(r.ok);
    assert.deepEqual(r.value, { fields: { enabled: false, filter: { wabaIds: ['1'] } }, settings: {} });
  });

  test('each problem names its field', () => {
    const problem = (json: unknown, mode: 'create' | 'patch' = 'patch') => {
      const r = parseDestinationInput(json, mode);
      assert.ok(!r.ok);
      return r.problem.field;
    };
    assert.equal(problem([]), 'body');
    assert.equal(problem({ kind: 'http' }, 'create'), 'name');
    assert.equal(problem({ filter: { events: 'message.' } }), 'filter.events');
    assert.equal(problem({ filter: { colour: ['red'] } }), 'filter.colour');
    assert.equal(problem({ filter: { error_codes: [1.5] } }), 'filter.error_codes');
    assert.equal(problem({ timeout_ms: 300_001 }), 'timeout_ms');
    assert.equal(problem({ enabled: 'yes' }), 'enabled');
    assert.equal(problem({ id: 'dst_1' }), 'id');
  });
});

describe('jsonErrorOffset', () => {
  test('null for valid JSON; else the offset of the first character that breaks it', () => {
    assert.equal(jsonErrorOffset('{"a": [1, 2.5e3, true, null, "x\\u00e9"]}'), null);
    assert.equal(jsonErrorOffset('{"a": }'), 6);
    assert.equal(jsonErrorOffset('[1, 2,]'), 6);
    assert.equal(jsonErrorOffset('{"a": 1} x'), 9);
    assert.equal(jsonErrorOffset('"unterminated'), 13);
  });
});
