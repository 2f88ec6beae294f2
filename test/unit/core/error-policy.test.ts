import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ERROR_ACTIONS,
  ERROR_CATEGORIES,
  ERROR_POLICY_TABLE,
  errorPolicy,
} from '../../../src/core/error-policy.js';

/** Codes the reference (§6) says are all on Meta's current error-code page. */
const REQUIRED = [
  0, 1, 2, 3, 4, 10, 100, 130429, 130472, 130497, 131000, 131005, 131008, 131009, 131016, 131021, 131026,
  131031, 131037, 131042, 131045, 131047, 131048, 131049, 131050, 131051, 131052, 131053, 131056, 131057,
  132000, 132001, 132005, 132007, 132012, 132015, 132016, 132068, 132069, 133010, 135000, 368, 80007,
];

describe('errorPolicy', () => {
  test('every code of the required list has a confirmed policy', () => {
    for (const code of REQUIRED) {
      const p = errorPolicy(code);
      assert.notEqual(p.category, 'unknown', `code ${code}`);
      assert.equal(p.confirmed, true, `code ${code}`);
      assert.equal(p.code, code);
    }
  });

  const cases: [number, string, string][] = [
    [131026, 'recipient', 'fallback'],
    [130497, 'account', 'fallback'],
    [131062, 'recipient', 'fallback'],
    [131049, 'marketing', 'dont_retry'],
    [131052, 'media', 'dont_retry'],
    [131047, 'window', 'send_template'],
    [131050, 'marketing', 'suppress'],
    [130429, 'throttling', 'retry'],
    [132015, 'template', 'fix_template'],
    [131042, 'billing', 'alert'],
    [100, 'request', 'dont_retry'],
    [2593109, 'history', 'dont_retry'],
  ];
  for (const [code, category, action] of cases) {
    test(`${code} is ${category} → ${action}`, () => {
      const p = errorPolicy(code);
      assert.equal(p.category, category);
      assert.equal(p.action, action);
    });
  }

  test('fallback (another channel, e.g. SMS) is the action of exactly the reviewed codes', () => {
    const fallback = ERROR_POLICY_TABLE.filter((r) => r[2] === 'fallback').map((r) => r[0]);
    assert.deepEqual(fallback, [130497, 131026, 131062]);
  });

  test('ranges cover permission errors 200–299 and calling errors 138xxx', () => {
    assert.equal(errorPolicy(250).category, 'permission');
    assert.equal(errorPolicy(299).category, 'permission');
    assert.equal(errorPolicy(300).category, 'unknown');
    assert.equal(errorPolicy(138006).category, 'calling');
    assert.equal(errorPolicy(138006).confirmed, false);
  });

  test('accepts codes given as strings, and reports unknown or missing codes as unknown → alert', () => {
    assert.equal(errorPolicy('131050').action, 'suppress');
    assert.deepEqual([errorPolicy(999999).category, errorPolicy(999999).action], ['unknown', 'alert']);
    assert.equal(errorPolicy(null).code, null);
    assert.equal(errorPolicy('abc').category, 'unknown');
  });

  test('known waits are given: per-user marketing limit 24 h, app rate limit at least a minute', () => {
    assert.equal(errorPolicy(131049).retryAfterMs, 24 * 3600 * 1000);
    assert.ok((errorPolicy(4).retryAfterMs ?? 0) >= 60_000);
  });

  test('the table uses only declared actions and categories, and lists each code once', () => {
    const seen = new Set<number>();
    for (const [codes, category, action] of ERROR_POLICY_TABLE) {
      assert.ok(ERROR_CATEGORIES.includes(category));
      assert.ok(ERROR_ACTIONS.includes(action));
      const list = typeof codes === 'number' ? [codes] : [codes[0], codes[1]];
      for (const c of list) {
        assert.ok(!seen.has(c), `code ${c} listed once`);
        seen.add(c);
      }
    }
  });
});
