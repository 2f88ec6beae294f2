import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPubAck } from '../../../src/adapters/destinations/read-pub-ack.js';

/** What a PubAck reads as through JSON.parse alone (the reading every ack had before). */
function parsed(text: string) {
  const a = JSON.parse(text) as { stream: string; seq: number; duplicate?: boolean };
  return { stream: a.stream, seq: a.seq, duplicate: a.duplicate === true };
}

test('a stored message’s ack, as nats-server writes it (and without its spaces), reads as JSON.parse reads it', () => {
  const acks = [
    '{"stream":"WHARF", "seq":1}',
    '{"stream":"WHARF", "seq":18446744073709551615}',
    '{"stream":"WHARF","seq":42}',
    '{"stream":"ÉTÉ_✓", "seq":7}',
  ];
  for (const text of acks) {
    const ack = readPubAck(text);
    assert.ok(!(ack instanceof Error), text);
    assert.deepEqual(ack, parsed(text));
  }
  assert.deepEqual(readPubAck('{"stream":"WHARF", "seq":1}'), { stream: 'WHARF', seq: 1, duplicate: false });
});

test('a duplicate’s ack says duplicate, in each spacing', () => {
  for (const text of [
    '{"stream":"WHARF", "seq":9,"duplicate": true}',
    '{"stream":"WHARF","seq":9,"duplicate":true}',
  ])
    assert.deepEqual(readPubAck(text), { stream: 'WHARF', seq: 9, duplicate: true });
});

test('other acks are read as JSON: a domain, an escaped stream name, duplicate false', () => {
  assert.deepEqual(readPubAck('{"stream":"WHARF", "domain":"hub", "seq":5}'), {
    stream: 'WHARF',
    seq: 5,
    duplicate: false,
  });
  assert.deepEqual(readPubAck('{"stream":"A\\"B\\u00e9", "seq":2}'), {
    stream: 'A"Bé',
    seq: 2,
    duplicate: false,
  });
  assert.deepEqual(readPubAck('{"stream":"WHARF", "seq":4,"duplicate": false}'), {
    stream: 'WHARF',
    seq: 4,
    duplicate: false,
  });
});

test('an error ack is JetStream’s refusal with its description and error code, though it names a stream', () => {
  const ack = readPubAck(
    '{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 1"},"stream":"WHARF","seq":0}',
  );
  assert.ok(ack instanceof Error);
  assert.equal(ack.message, 'JetStream refused the message: wrong last sequence: 1 (10071)');
  const old = readPubAck('{"error":{"code":503,"description":"jetstream not enabled"}}');
  assert.ok(old instanceof Error);
  assert.equal(old.message, 'JetStream refused the message: jetstream not enabled (503)');
});

test('an answer that is not a PubAck is an error saying so', () => {
  for (const text of ['{"seq":1}', '{"stream":"", "seq":3}']) {
    const noStream = readPubAck(text);
    assert.ok(noStream instanceof Error, text);
    assert.match(noStream.message, /without a stream/);
  }
  for (const text of ['', '+OK', '{"stream":"WHARF", "seq":1', 'null']) {
    const ack = readPubAck(text);
    assert.ok(ack instanceof Error, text);
    assert.match(ack.message, /not a PubAck/, text);
  }
});
