/**
 * Hand-off failures the peers shipped (reference/peers.md §2, §3.4, §3.7): whatsapp-api-js awaits the
 * handler before it answers Meta (a slow handler is a slow ack, a throwing one a 500 and a retry),
 * heyoo's users got duplicates when an LLM call delayed the 200, and n8n ran 3–4 workflow executions
 * per outbound message because every status reached the trigger.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { postSigned } from '../helpers/post-signed.js';
import { TEST_SECRET } from '../helpers/start-test-wharf.js';
import { startHandlerWharf } from '../helpers/start-handler-wharf.js';
import { statusDelivery, textDelivery } from '../helpers/webhook-bodies.js';
import { waitFor } from '../helpers/wait-for.js';

const T0 = 1767225600;

/** Resolves with the answer's status, or with 'no answer' once `ms` have passed. */
function answeredWithin(p: Promise<{ status: number }>, ms: number): Promise<number | 'no answer'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'no answer'>((resolve) => {
    timer = setTimeout(() => resolve('no answer'), ms);
  });
  return Promise.race([p.then((r) => r.status), late]).finally(() => clearTimeout(timer));
}

describe('handlers run off the acknowledgement path', () => {
  test('while one handler hangs and another throws on every event, each later delivery is still answered 200 at once', async () => {
    let release: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    let slowCalls = 0;
    let throwingCalls = 0;
    const w = await startHandlerWharf((wharf) => {
      wharf.on(
        'message.text',
        async () => {
          slowCalls++;
          await hung; // an LLM call that takes minutes
        },
        { id: 'slow', timeoutMs: 120_000 },
      );
      wharf.on(
        'message.text',
        () => {
          throwingCalls++;
          throw new Error('handler bug');
        },
        { id: 'throws' },
      );
    });
    const url = w.baseUrl + '/webhooks/whatsapp';
    try {
      assert.equal(
        (await postSigned(url, textDelivery('wamid.SLOW0', T0, 'first'), TEST_SECRET)).status,
        200,
      );
      await waitFor('the slow handler is running', () => slowCalls === 1);
      await waitFor('the throwing handler has thrown', () => throwingCalls >= 1);
      for (let i = 1; i <= 5; i++) {
        const status = await answeredWithin(
          postSigned(url, textDelivery(`wamid.SLOW${i}`, T0 + i, `next ${i}`), TEST_SECRET),
          2000,
        );
        assert.equal(status, 200, `delivery ${i} while a handler hangs`);
      }
    } finally {
      release();
      await w.stop();
    }
  });

  test('a handler for inbound messages gets no status events, and no outbox row is written for them', async () => {
    const seen: string[] = [];
    const w = await startHandlerWharf((wharf) => {
      wharf.on('message.*', (e) => void seen.push(e.name), { id: 'inbound' });
      wharf.on('status.failed', (e) => void seen.push(e.name), { id: 'failures' });
    });
    const url = w.baseUrl + '/webhooks/whatsapp';
    try {
      // One outbound message's life (sent, delivered, read) and one inbound reply.
      for (const status of ['sent', 'delivered', 'read'])
        assert.equal(
          (await postSigned(url, statusDelivery({ wamid: 'wamid.OUT', status, ts: T0 }), TEST_SECRET)).status,
          200,
        );
      assert.equal(
        (await postSigned(url, textDelivery('wamid.IN', T0 + 5, 'thanks'), TEST_SECRET)).status,
        200,
      );
      await waitFor('the reply reaches the inbound handler', () => seen.length >= 1);
      const db = new Database(w.dbPath, { readonly: true });
      try {
        await waitFor(
          'all four events processed',
          () => db.prepare('SELECT count(*) FROM events').pluck().get() === 4,
        );
        const rows = db.prepare('SELECT target, count(*) AS n FROM outbox GROUP BY target').all();
        assert.deepEqual(rows, [{ target: 'inbound', n: 1 }]);
      } finally {
        db.close();
      }
      assert.deepEqual(seen, ['message.text']);
    } finally {
      await w.stop();
    }
  });
});
