import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EVENT_PREFIXES,
  EventPatternError,
  parseEventPattern,
  parseEventPatterns,
} from '../../../src/events/event-pattern.js';
import { EVENT_NAMES } from '../../../src/events/event-names.js';
import { WharfError } from '../../../src/errors.js';

const STATUSES = EVENT_NAMES.filter((n) => n.startsWith('status.'));

/** Runs `fn`, which must throw an EventPatternError, and returns it. */
function patternError(fn: () => unknown): EventPatternError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EventPatternError, `expected an EventPatternError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the pattern to be refused');
}

describe('event pattern', () => {
  test('an event name is a pattern matching that name alone', () => {
    assert.deepEqual(parseEventPattern('status.failed'), { kind: 'name', pattern: 'status.failed' });
    assert.deepEqual([...parseEventPatterns(['status.failed']).names], ['status.failed']);
    assert.deepEqual([...parseEventPatterns(['security']).names], ['security']);
  });

  test('status. and status.* are one prefix: the same canonical spelling (status.) and the same names', () => {
    assert.deepEqual(parseEventPattern('status.'), { kind: 'prefix', pattern: 'status.' });
    assert.deepEqual(parseEventPattern('status.*'), { kind: 'prefix', pattern: 'status.' });
    assert.deepEqual([...parseEventPatterns(['status.']).names], STATUSES);
    assert.deepEqual([...parseEventPatterns(['status.*']).names], STATUSES);
    assert.deepEqual(parseEventPatterns(['status.*', 'status.']).patterns, ['status.']);
  });

  test('every prefix is taken from the list of event names, ends with a dot and matches at least one name', () => {
    assert.ok(EVENT_PREFIXES.length > 0);
    for (const prefix of EVENT_PREFIXES) {
      assert.match(prefix, /^[a-z_]+(\.[a-z_]+)*\.$/);
      assert.ok(parseEventPatterns([prefix]).names.size > 0, prefix);
    }
    for (const name of EVENT_NAMES)
      if (name.includes('.')) assert.ok(EVENT_PREFIXES.includes(`${name.split('.')[0]}.` as never), name);
  });

  test('a list matches the union of its entries, in canonical spelling, duplicates removed; an empty list matches nothing', () => {
    const parsed = parseEventPatterns(['message.*', 'status.failed', 'message.', 'status.failed']);
    assert.deepEqual(parsed.patterns, ['message.', 'status.failed']);
    assert.ok(parsed.names.has('message.text') && parsed.names.has('status.failed'));
    assert.ok(!parsed.names.has('status.sent'));
    assert.equal(parsed.names.size, EVENT_NAMES.filter((n) => n.startsWith('message.')).length + 1);
    assert.equal(parseEventPatterns([]).names.size, 0);
  });

  test('an unknown name is refused with code UNKNOWN_EVENT_PATTERN, naming it and the closest known name', () => {
    const err = patternError(() => parseEventPattern('message.txt'));
    assert.ok(err instanceof WharfError);
    assert.equal(err.code, 'UNKNOWN_EVENT_PATTERN');
    assert.equal(err.status, 400);
    assert.equal(err.entry, 'message.txt');
    assert.equal(err.suggestion, 'message.text');
    assert.match(err.message, /unknown event name "message\.txt"; did you mean "message\.text"\?/);
  });

  test('an unknown prefix, in either spelling, is refused with the closest known prefix', () => {
    for (const entry of ['stauts.', 'stauts.*']) {
      const err = patternError(() => parseEventPattern(entry));
      assert.equal(err.suggestion, 'status.');
      assert.match(err.message, new RegExp(`no event name starts with "${entry.replace('*', '\\*')}"`));
    }
  });

  test('a prefix ends at a dot: a part of a name, or a name with a star, is not a pattern', () => {
    for (const entry of ['status', 'stat.', 'message.te', 'message.text.*', '*', '.', 'status.**'])
      assert.throws(() => parseEventPattern(entry), EventPatternError, entry);
    assert.equal(patternError(() => parseEventPattern('status')).suggestion, 'status.');
  });

  test('a list is refused at its first bad entry, named with its index', () => {
    const err = patternError(() => parseEventPatterns(['message.', 'status.failed', 'template.stauts']));
    assert.equal(err.index, 2);
    assert.equal(err.entry, 'template.stauts');
    assert.equal(err.suggestion, 'template.status');
  });

  test('an entry that is not a non-empty string (from JSON, say) is refused naming it', () => {
    for (const [entry, shown] of [
      [3, '3'],
      [null, 'null'],
      ['', '""'],
      [undefined, 'undefined'],
    ] as const) {
      const err = patternError(() => parseEventPatterns(['status.', entry]));
      assert.equal(err.index, 1);
      assert.equal(err.suggestion, undefined);
      assert.ok(err.message.includes(`${shown} is not an event name or prefix`), err.message);
    }
  });

  test('a very long pattern is cut in the message, which still suggests a name', () => {
    const err = patternError(() => parseEventPattern(`message.${'x'.repeat(10_000)}`));
    assert.ok(err.message.length < 300, err.message);
    assert.match(err.message, /x…"; did you mean "message\./);
  });
});
