import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonDepth, tooDeep } from '../../../src/core/too-deep.js';

const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe('tooDeep: a delivery nested too deep to process', () => {
  test('jsonDepth counts nested objects and arrays, not brackets or escaped quotes inside strings', () => {
    assert.equal(jsonDepth('1'), 0);
    assert.equal(jsonDepth('{"a":[1,{"b":[]}],"c":{}}'), 4);
    assert.equal(jsonDepth('{"a":"[[[{{{\\"[[[","b":"\\\\"}'), 1);
  });

  test('blames a stack overflow on the body when it nests thousands of levels, naming the depth', () => {
    const deep = tooDeep(Buffer.from(nested(5000)), new RangeError('Maximum call stack size exceeded'));
    assert.equal(deep?.code, 'TOO_DEEP');
    assert.match(String(deep?.message), /nests 5000 levels deep/);
  });

  test('does not blame a shallow body, nor an error other than a stack overflow', () => {
    assert.equal(
      tooDeep(Buffer.from(nested(10)), new RangeError('Maximum call stack size exceeded')),
      undefined,
    );
    assert.equal(tooDeep(Buffer.from(nested(5000)), new TypeError('x is undefined')), undefined);
  });
});
