import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { signBody } from '../../src/core/verify-signature.js';
import Database from 'better-sqlite3';
import { httpRequest, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_SECRET } from '../helpers/start-test-wharf.js';

const delivery = (n: number | string) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.SHED${n}","status":"sent","timestamp":"1767225600","recipient_id":"1"}]}}]}]}`;

/** wharf_pending_commits as /metrics reports it. */
const pendingCommits = async (baseUrl: string) =>
  Number(/^wharf_pending_commits (\d+)$/m.exec((await httpRequest(baseUrl + '/metrics')).body)?.[1]);

/**
 * A Wharf that sheds past 1 ms of queue time (answer deadline and busy timeout far away, so a 503
 * can only be the shed), with its database locked by the test and one delivery already waiting on
 * that lock for more than 1 ms.
 */
async function sheddingBehindLock(requestId: string, maxSockets: number) {
  const w = await startTestWharf(
    { WHARF_LOG_LEVEL: 'warn', WHARF_MAX_QUEUE_MS: 1, WHARF_ANSWER_DEADLINE_MS: 60_000 },
    { busyTimeoutMs: 60_000 },
  );
  const url = w.baseUrl + '/webhooks/whatsapp';
  const agent = new Agent({ keepAlive: true, maxSockets });
  const locker = new Database(w.dbPath);
  locker.exec('BEGIN IMMEDIATE');
  let heldAnswered = false;
  const held = postSigned(url, delivery(requestId), TEST_SECRET, {}, agent).then((r) => {
    heldAnswered = true;
    return r;
  });
  while ((await pendingCommits(w.baseUrl)) < 1) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 5)); // the held delivery is now older than 1 ms
  return {
    w,
    url,
    agent,
    locker,
    held,
    heldAnswered: () => heldAnswered,
    async close() {
      locker.close();
      agent.destroy();
      await w.stop();
    },
  };
}

describe('a slow or locked database is answered 503 quickly, not late', () => {
  test('with the database locked, 40 concurrent POSTs all get 503 + Retry-After long before the 5 s busy timeout, then 200 once it is free', async () => {
    const busyTimeoutMs = 5000;
    const w = await startTestWharf({ WHARF_LOG_LEVEL: 'warn' }, { busyTimeoutMs });
    const url = w.baseUrl + '/webhooks/whatsapp';
    const agent = new Agent({ keepAlive: true, maxSockets: 40 });
    const locker = new Database(w.dbPath);
    try {
      locker.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const r = await postSigned(url, delivery(i), TEST_SECRET, {}, agent);
          return { status: r.status, retryAfter: r.headers['retry-after'], ms: performance.now() - started };
        }),
      );
      locker.exec('ROLLBACK');
      assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([503]));
      assert.ok(answers.every((a) => a.retryAfter === '5'));
      // Each of them within WHARF_ANSWER_DEADLINE_MS (800 ms) plus scheduling, never after the busy timeout.
      const slowest = Math.max(...answers.map((a) => a.ms));
      assert.ok(slowest < busyTimeoutMs * 0.8, `slowest answer after ${Math.round(slowest)} ms`);
      // The commit that waited on the lock finishes now; until it has, new POSTs are still shed.
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = (await postSigned(url, delivery('after'), TEST_SECRET, {}, agent)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status, 200);
    } finally {
      locker.close();
      agent.destroy();
      await w.stop();
    }
  });

  test('past the queue-time target a new POST is shed with 503 + Retry-After at once, while the delivery ahead of it still waits on the locked database, and that one still gets its 200', async () => {
    const bed = await sheddingBehindLock('held', 2);
    try {
      const shed = await postSigned(bed.url, delivery('shed'), TEST_SECRET, {}, bed.agent);
      assert.equal(shed.status, 503);
      assert.equal(shed.headers['retry-after'], '5');
      assert.equal((JSON.parse(shed.body) as { error: { code: string } }).error.code, 'OVERLOADED');
      assert.equal(
        bed.heldAnswered(),
        false,
        'the shed answer came while the commit ahead was still locked out',
      );
      assert.equal(await pendingCommits(bed.w.baseUrl), 1, 'the shed delivery was never queued');
      bed.locker.exec('ROLLBACK');
      assert.equal((await bed.held).status, 200);
    } finally {
      await bed.close();
    }
  });

  test('while shedding, POSTs pipelined on one connection and followed by a half-close each get their 503 at once, in order, then the connection closes', async () => {
    const bed = await sheddingBehindLock('held-pipelined', 1);
    try {
      const post = (b: string) =>
        `POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(b)}\r\nX-Hub-Signature-256: ${signBody(b, TEST_SECRET)}\r\n\r\n${b}`;
      const text = await new Promise<string>((resolve, reject) => {
        const sock = connect(Number(new URL(bed.w.baseUrl).port), '127.0.0.1');
        let got = '';
        sock.on('data', (c: Buffer) => (got += c.toString('latin1')));
        sock.on('close', () => resolve(got));
        sock.on('error', reject);
        sock.on('connect', () => sock.end([1, 2, 3].map((n) => post(delivery(`pipelined-${n}`))).join('')));
      });
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
      assert.deepEqual(statuses, ['503', '503', '503']);
      assert.equal((text.match(/\r\nretry-after: 5\r\n/gi) ?? []).length, 3);
      assert.equal(await pendingCommits(bed.w.baseUrl), 1, 'none of them was queued');
      bed.locker.exec('ROLLBACK');
      assert.equal((await bed.held).status, 200);
    } finally {
      await bed.close();
    }
  });
});
