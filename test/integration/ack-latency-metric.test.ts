import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import Database from 'better-sqlite3';
import { httpRequest, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_SECRET } from '../helpers/start-test-wharf.js';

const delivery = (n: number | string) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.ACK${n}","status":"sent","timestamp":"1767225600","recipient_id":"1"}]}}]}]}`;

/** count and sum of wharf_ack_latency_seconds for each status label. */
async function ackLatency(baseUrl: string): Promise<Map<string, { count: number; sum: number }>> {
  const text = (await httpRequest(baseUrl + '/metrics')).body;
  const byStatus = new Map<string, { count: number; sum: number }>();
  for (const [, kind, status, value] of text.matchAll(
    /^wharf_ack_latency_seconds_(count|sum)\{status="(\d+)"\} (\S+)$/gm,
  )) {
    const entry = byStatus.get(status!) ?? { count: 0, sum: 0 };
    entry[kind as 'count' | 'sum'] = Number(value);
    byStatus.set(status!, entry);
  }
  return byStatus;
}

test('wharf_ack_latency_seconds times every webhook answer, by status: 200, 401 and shed 503s, on the fast path and through node:http', async () => {
  const w = await startTestWharf({ WHARF_LOG_LEVEL: 'warn' }, { busyTimeoutMs: 5000 });
  const url = w.baseUrl + '/webhooks/whatsapp';
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });
  try {
    assert.equal((await postSigned(url, delivery(1), TEST_SECRET, {}, agent)).status, 200);
    // A chunked body is handed to node:http: the same metric, from the same first byte.
    const chunked = await postSigned(
      url,
      delivery(2),
      TEST_SECRET,
      { 'transfer-encoding': 'chunked' },
      agent,
    );
    assert.equal(chunked.status, 200);
    assert.equal((await postSigned(url, delivery(3), 'not-the-secret', {}, agent)).status, 401);
    const locker = new Database(w.dbPath);
    let shed: number[];
    try {
      locker.exec('BEGIN IMMEDIATE');
      shed = await Promise.all(
        Array.from(
          { length: 5 },
          async (_, i) => (await postSigned(url, delivery(`locked-${i}`), TEST_SECRET, {}, agent)).status,
        ),
      );
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    assert.deepEqual(shed, [503, 503, 503, 503, 503]);
    const m = await ackLatency(w.baseUrl);
    assert.deepEqual([...m].map(([status, { count }]) => [status, count]).sort(), [
      ['200', 2],
      ['401', 1],
      ['503', 5],
    ]);
    for (const [status, { sum }] of m) assert.ok(sum > 0, `status ${status}: time observed`);
  } finally {
    agent.destroy();
    await w.stop();
  }
});
