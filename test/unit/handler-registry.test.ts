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

  test('status. and status.* register the same names under the same default id as before status. was accepted', () => {
    const dotted = new HandlerRegistry();
    const starred = new HandlerRegistry();
    assert.equal(
      dotted.on('status.', () => undefined),
      'on:status.*:1',
    );
    assert.equal(
      starred.on('status.*', () => undefined),
      'on:status.*:1',
    );
    assert.equal(
      dotted.on(['message.text', 'status.'], () => undefined),
      'on:message.text,status.*:1',
    );
    const [target] = dotted.targets;
    assert.ok(target);
    for (const name of ['status.sent', 'status.failed', 'message.text'] as const)
      assert.equal(target.wants({ name } as never), name.startsWith('status.'), name);
  });

  test('an unknown name or prefix is refused at registration with the closest known one', () => {
    const r = new HandlerRegistry();
    assert.throws(() => r.on('message.txt' as never, () => undefined), {
      code: 'UNKNOWN_EVENT_PATTERN',
      message: /unknown event name "message\.txt"; did you mean "message\.text"/,
    });
    assert.throws(() => r.on('tempalte.' as never, () => undefined), /did you mean "template\."/);
    assert.equal(r.targets.length, 0);
  });
});
