import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSendError, redact } from '../../../src/adapters/destinations/describe-send-error.js';
import { WharfError } from '../../../src/errors.js';

describe('describeSendError', () => {
  test('names network errors in plain words with their code', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    assert.equal(
      describeSendError(err),
      'connection refused (nothing listens on that host and port) (ECONNREFUSED)',
    );
    const wrapped = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }),
    });
    assert.equal(describeSendError(wrapped), 'host not found (DNS has no address for it) (ENOTFOUND)');
  });
  test('keeps the message of a catalogue error (an SSRF refusal)', () => {
    const err = new Error('connect failed', {
      cause: new WharfError('DESTINATION_ADDRESS_FORBIDDEN', 'refused to connect, 10.0.0.1 is private'),
    });
    assert.match(describeSendError(err), /refused to connect, 10\.0\.0\.1 is private/);
  });
  test('never shows a password in a URL, nor any secret it is given', () => {
    const err = new Error(
      'cannot connect to amqp://wharf:hunter2-long@mq.internal:5672 with token s3cr3t-token',
    );
    const text = describeSendError(err, ['s3cr3t-token']);
    assert.equal(text, 'cannot connect to amqp://***@mq.internal:5672 with token ***');
  });
  test('redact leaves text without secrets alone', () => {
    assert.equal(redact('the receiver answered 500'), 'the receiver answered 500');
  });
});
