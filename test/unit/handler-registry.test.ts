import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HandlerRegistry } from '../../src/app/handler-registry.js';
import { WharfError, type ErrorCode } from '../../src/errors.js';

const coded = (code: ErrorCode, text: RegExp) => (err: unknown) =>
  err instanceof WharfError && err.code === code && text.test(err.message);

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

  test('every misuse is a WharfError with a catalogue code (HANDLER_INVALID, UNKNOWN_EVENT_PATTERN, HANDLER_TOO_LATE) saying what is wrong', () => {
    const r = new HandlerRegistry();
    const nothing = () => undefined;
    const misuses: Array<[() => unknown, ErrorCode, RegExp]> = [
      [() => r.on([], nothing), 'HANDLER_INVALID', /at least one event name/],
      [() => r.on('message.txt' as 'message.text', nothing), 'UNKNOWN_EVENT_PATTERN', /"message.txt"/],
      [() => r.on('nothing.*' as 'message.*', nothing), 'UNKNOWN_EVENT_PATTERN', /"nothing/],
      [() => r.onAny('not a function' as unknown as () => void), 'HANDLER_INVALID', /must be a function/],
      [() => r.onAny(nothing, { id: 'spaces are not allowed' }), 'HANDLER_INVALID', /handler id/],
      [() => r.onAny(nothing, { concurrency: 0 }), 'HANDLER_INVALID', /concurrency must be an integer/],
    ];
    for (const [misuse, code, text] of misuses) assert.throws(misuse, coded(code, text));
    r.onAny(nothing, { id: 'taken' });
    assert.throws(() => r.onAny(nothing, { id: 'taken' }), coded('HANDLER_INVALID', /already registered/));
    r.seal('listen()');
    assert.throws(() => r.onAny(nothing), coded('HANDLER_TOO_LATE', /register handlers before listen\(\)/));
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
