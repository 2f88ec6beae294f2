import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roleParts } from '../../src/app/role-parts.js';

test('an ingress process only acknowledges webhooks: it neither processes nor dispatches', () => {
  assert.deepEqual(roleParts('ingress'), { ingress: true, processor: false, dispatcher: false });
});

test('a worker process processes and dispatches but takes no webhooks', () => {
  assert.deepEqual(roleParts('worker'), { ingress: false, processor: true, dispatcher: true });
});

test('role all runs every part in one process (the embedded default)', () => {
  assert.deepEqual(roleParts('all'), { ingress: true, processor: true, dispatcher: true });
});
