/**
 * The SMS kind's at-most-once rule where a test cannot arrange it through webhooks: a claim left by an
 * attempt that never heard the provider's answer (a crash, a timeout) is never re-sent by itself, and a
 * claim another attempt holds right now is left to it. On a real SQLite action store, with a provider
 * that counts its calls.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp-dir.js';
import { outboundMessage } from '../../helpers/outbound-message.js';
import { openDatabase } from '../../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../../src/adapters/sqlite/migrate.js';
import { SqliteActionStore } from '../../../src/adapters/sqlite/action-store.js';
import { createSmsFallbackTransport } from '../../../src/app/sms-fallback-transport.js';
import type { SmsProvider, SmsResult } from '../../../src/ports/sms-provider.js';
import type { Destination } from '../../../src/core/destinations/destination.js';

const T0 = 1_767_225_700_000;
const never = new AbortController().signal;

const destination: Destination = {
  id: 'dst_sms',
  name: 'sms',
  kind: 'sms',
  enabled: true,
  filter: { events: ['status.failed'], errorActions: ['fallback'] },
  format: 'event',
  settings: { provider: 'twilio', text: 'Code for {{wamid}}' },
  timeoutMs: 10_000,
  maxInFlight: 10,
  rateLimitPerSecond: null,
  ordering: 'none',
  batchWindowMs: 0,
  transform: null,
  createdAt: T0,
  updatedAt: T0,
  disabledReason: null,
};

describe('SMS fallback claims', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteActionStore;
  let calls: number;
  let answer: SmsResult;
  let now: number;
  const provider: SmsProvider = {
    async send() {
      calls++;
      return answer;
    },
    async close() {},
  };
  const transport = () =>
    createSmsFallbackTransport({
      destination,
      provider,
      actions: store,
      reads: { getContact: async () => null, getMessage: async () => null },
      now: () => now,
    });

  beforeEach(() => {
    dir = tempDir('wharf-sms-claims-');
    const path = join(dir.path, 'wharf.db');
    const db = openDatabase(path);
    migrate(db, 0);
    db.close();
    store = new SqliteActionStore(path);
    calls = 0;
    now = T0;
    answer = {
      outcome: { kind: 'accepted', providerId: 'SM1' },
      status: 201,
      durationMs: 1,
      responseExcerpt: null,
      error: null,
    };
  });
  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  const failed = () => outboundMessage('messages/status-failed.json');

  test('a claim left by an attempt that ended without an answer is never sent again, and says so', async () => {
    // The process that claimed it died before Twilio answered (claimed an hour ago).
    await store.claimFallback({
      wamid: 'wamid.EXAMPLEOUT2',
      destinationId: 'dst_sms',
      eventKey: 'k',
      to: '+447700900123',
      now: T0 - 3_600_000,
    });
    const r = await transport().send(failed(), never);
    assert.equal(r.ok, false);
    assert.match(
      r.error ?? '',
      /not sent again: .*ended without the provider’s answer.*a second SMS is never risked/,
    );
    assert.equal(calls, 0);
    assert.equal((await store.fallback('wamid.EXAMPLEOUT2'))?.state, 'unknown');
    const again = await transport().send(failed(), never);
    assert.equal(again.ok, false);
    assert.match(again.error ?? '', /may have been sent/);
    assert.equal(calls, 0);
  });

  test('a claim another attempt holds right now is left to it', async () => {
    await store.claimFallback({
      wamid: 'wamid.EXAMPLEOUT2',
      destinationId: 'dst_sms',
      eventKey: 'k',
      to: '+447700900123',
      now: T0 - 1000,
    });
    const r = await transport().send(failed(), never);
    assert.equal(r.ok, true);
    assert.match(r.responseExcerpt ?? '', /another attempt is sending the SMS/);
    assert.equal(calls, 0);
    assert.equal((await store.fallback('wamid.EXAMPLEOUT2'))?.state, 'sending');
  });

  test('a provider that gave no answer (timeout) leaves it unknown: the retry does not call it again', async () => {
    answer = {
      outcome: { kind: 'unknown' },
      status: null,
      durationMs: 10_000,
      responseExcerpt: null,
      error: 'no answer within 10000 ms (timeout_ms)',
    };
    const t = transport();
    assert.equal((await t.send(failed(), never)).ok, false);
    assert.equal(calls, 1);
    const f = await store.fallback('wamid.EXAMPLEOUT2');
    assert.deepEqual([f?.state, f?.reason], ['unknown', 'no answer within 10000 ms (timeout_ms)']);
    now += 60_000;
    const retry = await t.send(failed(), never);
    assert.equal(retry.ok, false);
    assert.equal(calls, 1);
  });

  test('the destination text fills in the wamid; no text at all is a skip with the reason', async () => {
    let text = '';
    const seen: SmsProvider = {
      async send(sms) {
        text = sms.text;
        return answer;
      },
      async close() {},
    };
    const t = createSmsFallbackTransport({
      destination,
      provider: seen,
      actions: store,
      reads: { getContact: async () => null, getMessage: async () => null },
      now: () => now,
    });
    assert.equal((await t.send(failed(), never)).ok, true);
    assert.equal(text, 'Code for wamid.EXAMPLEOUT2');
    const untexted = createSmsFallbackTransport({
      destination: { ...destination, settings: { provider: 'twilio' } },
      provider,
      actions: store,
      reads: { getContact: async () => null, getMessage: async () => null },
      now: () => now,
    });
    const r = await untexted.send(outboundMessage('messages/status-failed-131049.json'), never);
    assert.equal(r.ok, true);
    assert.match(r.responseExcerpt ?? '', /^skipped: no text: the send had no sms_fallback_text/);
  });
});
