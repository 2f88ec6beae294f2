import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as wharf from '../../src/index.js';

test('the package root exports parseDelivery, normalizeDelivery, the event names, the router and the error policy', () => {
  const r = wharf.parseDelivery(
    '{"entry":[{"id":"1","changes":[{"field":"account_review_update","value":{"decision":"APPROVED"}}]}]}',
  );
  assert.ok(r.ok);
  const events = wharf.normalizeDelivery(r.envelope);
  assert.equal(events[0]?.name, 'account.review');
  assert.ok(wharf.EVENT_NAMES.includes('message.text'));
  assert.equal(typeof wharf.createRouter().on, 'function');
  assert.equal(wharf.errorPolicy(131050).action, 'suppress');
});
