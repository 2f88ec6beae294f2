import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerBytes } from '../../src/api/answer-bytes.js';

const OK = { status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from('OK') };

describe('AnswerBytes (the fast path’s serializer)', () => {
  test('the keep-alive 200 is built once and reused within a second', () => {
    const answers = new AnswerBytes();
    // Three in a row: a second may turn (new Date header) between two of them, never between both pairs.
    const [a, b, c] = [1, 2, 3].map(() => answers.serialize(OK, false));
    assert.ok(a === b || b === c);
  });
  test('any keep-alive answer object (the shed 503) is reused within a second too, and a closing one never', () => {
    const answers = new AnswerBytes();
    const shed = { status: 503, headers: { 'retry-after': '5' }, body: Buffer.from('{}') };
    const [a, b, c] = [1, 2, 3].map(() => answers.serialize(shed, false));
    assert.ok(a === b || b === c);
    assert.match(
      a!.toString('latin1'),
      /^HTTP\/1\.1 503 Service Unavailable\r\n[^]*Connection: keep-alive\r\n/,
    );
    assert.notEqual(answers.serialize(shed, true), answers.serialize(shed, true));
  });
  test('its cache belongs to the instance: two servers in one process never share bytes', () => {
    const one = new AnswerBytes();
    const two = new AnswerBytes();
    assert.notEqual(one.serialize(OK, false), two.serialize(OK, false));
    assert.deepEqual(one.serialize(OK, false).toString(), two.serialize(OK, false).toString());
  });
  test('a closing answer says Connection: close and carries its own headers and length', () => {
    const text = new AnswerBytes()
      .serialize(
        { status: 503, headers: { 'retry-after': '5', connection: 'close' }, body: Buffer.from('{}') },
        true,
      )
      .toString('latin1');
    assert.match(text, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
    assert.match(text, /\r\nretry-after: 5\r\n/);
    assert.match(text, /\r\nContent-Length: 2\r\nConnection: close\r\n\r\n\{\}$/);
    assert.equal(text.match(/connection:/gi)?.length, 1);
  });
});
