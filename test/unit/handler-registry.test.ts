import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HandlerRegistry } from '../../src/app/handler-registry.js';

describe('registering handlers', () => {
  test('a timeoutMs longer than a Node timer can wait (about 24.8 days) is refused, not turned into an instant timeout', () => {
    const r = new HandlerRegistry();
    assert.throws(
      () => r.on('message.text', () => undefined, { timeoutMs: 2 ** 31 }),
      /timeoutMs must be .*2147483647/,
    );
    assert.equal(
      r.on('message.text', () => undefined, { timeoutMs: 2 ** 31 - 1 }),
      'on:message.text:1',
    );
  });

  test('a registration after listen() throws instead of silently missing events', () => {
    const r = new HandlerRegistry();
    r.seal('listen()');
    assert.throws(() => r.onAny(() => undefined), /register handlers before listen\(\)/);
  });
});
