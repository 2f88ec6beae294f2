import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationBody, destinationsFromFile } from '../../../src/cli/destinations/destination-body.js';

describe('wharf destinations create: flags → the API body', () => {
  test('only the fields given are sent, so Wharf applies its own defaults', () => {
    assert.deepEqual(destinationBody({ name: 'crm', kind: 'http', url: 'https://crm.example.com/h' }), {
      name: 'crm',
      kind: 'http',
      url: 'https://crm.example.com/h',
    });
  });

  test('--format conversation with --batch-window-ms sends batch_window_ms as a number', () => {
    const body = destinationBody({
      name: 'bsp',
      kind: 'http',
      url: 'https://crm.example.com/h',
      format: 'conversation',
      batchWindowMs: '5000',
    });
    assert.equal(body['format'], 'conversation');
    assert.equal(body['batch_window_ms'], 5000);
  });

  test('--setting carries any kind setting; whole numbers and true/false as JSON values', () => {
    const body = destinationBody({
      name: 'r',
      kind: 'redis',
      url: 'redis://127.0.0.1:6379',
      stream: 'wa',
      setting: ['max_len=10000', 'note=42 apples'],
    });
    assert.equal(body['max_len'], 10000);
    assert.equal(body['note'], '42 apples');
    assert.deepEqual(
      destinationBody({ name: 'e', kind: 'email', setting: ['to=ops@example.com'] })['to'],
      'ops@example.com',
    );
  });

  test('the filter holds only the conditions given; --disabled sends enabled: false', () => {
    const body = destinationBody({
      name: 'a',
      kind: 'slack',
      errorActions: 'fallback, alert',
      disabled: true,
    });
    assert.deepEqual(body['filter'], { error_actions: ['fallback', 'alert'] });
    assert.equal(body['enabled'], false);
    assert.throws(
      () => destinationBody({ name: 'a', kind: 'http', errorCodes: '131047,abc' }),
      /--error-codes must be whole numbers \(got "abc"\)/,
    );
    assert.throws(
      () => destinationBody({ name: 'a', kind: 'http', format: 'xml' }),
      /--format must be one of event, meta, conversation/,
    );
  });

  test('--file takes one destination, an array, or {"destinations": [...]}, and names what is wrong', () => {
    const one = { name: 'a', kind: 'http' };
    assert.deepEqual(destinationsFromFile('f.json', JSON.stringify(one)), [one]);
    assert.deepEqual(destinationsFromFile('f.json', JSON.stringify([one, one])), [one, one]);
    assert.deepEqual(destinationsFromFile('f.json', JSON.stringify({ destinations: [one] })), [one]);
    assert.throws(() => destinationsFromFile('f.json', '[1]'), /f\.json: item 0 must be a JSON object/);
    assert.throws(() => destinationsFromFile('f.json', '{'), /f\.json is not JSON/);
  });
});
