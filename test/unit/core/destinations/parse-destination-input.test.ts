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
      batchWindowMs: 0,
      transform: null,
    });
  });

  test('format conversation: message. events and contact ordering unless given, batch_window_ms kept', () => {
    const r = parseDestinationInput(
      { name: 'bsp', kind: 'http', url: 'https://x', format: 'conversation', batch_window_ms: 3000 },
      'create',
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value.fields.filter, { events: ['message.'] });
    assert.equal(r.value.fields.ordering, 'contact');
    assert.equal(r.value.fields.batchWindowMs, 3000);
    const own = parseDestinationInput(
      { name: 'bsp', kind: 'http', format: 'conversation', filter: { events: ['message.text'] } },
      'create',
    );
    assert.ok(own.ok);
    assert.deepEqual(own.value.fields.filter, { events: ['message.text'] }, 'a given filter is kept');
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
    assert.equal(problem({ format: 'xml' }), 'format');
    for (const bad of [-1, 2.5, 600_001, '500', null])
      assert.equal(problem({ batch_window_ms: bad }), 'batch_window_ms');
    const create = { name: 'x', kind: 'http' };
    assert.equal(problem({ ...create, batch_window_ms: 10 }, 'create'), 'batch_window_ms');
    assert.equal(problem({ ...create, format: 'conversation', ordering: 'none' }, 'create'), 'ordering');
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
