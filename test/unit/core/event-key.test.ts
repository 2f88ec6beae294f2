import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalJson,
  contentHash,
  hashKey,
  managementKey,
  messageKey,
  statusKey,
} from '../../../src/core/event-key.js';

describe('event keys', () => {
  test('follow reference §1.7 for messages and statuses', () => {
    assert.equal(messageKey('900', 'wamid.A'), 'msg:900:wamid.A');
    assert.equal(statusKey('wamid.A', 'read'), 'status:wamid.A:read');
    assert.equal(statusKey('wamid.A', 'read', 'GB.1'), 'status:wamid.A:read:GB.1');
  });

  test('canonical JSON ignores key order, so equal items hash equally', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
    assert.equal(contentHash({ a: 1, b: 2 }), contentHash({ b: 2, a: 1 }));
    assert.notEqual(contentHash({ a: 1 }), contentHash({ a: 2 }));
    assert.equal(hashKey('f', 'w', { x: 1 }), hashKey('f', 'w', { x: 1 }));
  });

  test('management keys use entry.time and a content hash of the value', () => {
    assert.equal(
      managementKey('account_update', 'w', ['E', undefined], 1000, {}),
      `account_update:w:E::1000:h${contentHash({})}`,
    );
    assert.notEqual(managementKey('f', 'w', [], null, { a: 1 }), managementKey('f', 'w', [], null, { a: 2 }));
    assert.notEqual(managementKey('f', 'w', [], 1000, { a: 1 }), managementKey('f', 'w', [], 1000, { a: 2 }));
    assert.equal(managementKey('f', 'w', [], 1000, { a: 1 }), managementKey('f', 'w', [], 1000, { a: 1 }));
  });
});
