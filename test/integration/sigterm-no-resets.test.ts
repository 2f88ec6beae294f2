import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connect } from 'node:net';
import { signBody } from '../../src/core/verify-signature.js';
import { spawnWharf } from '../helpers/spawn-wharf.js';
import { tempDir } from '../helpers/temp-dir.js';

const SECRET = 'sigterm-secret';
const CONNECTIONS = 256;

interface Tally {
  answers: Map<number, number>;
  /** Connections closed (or reset) while a request of theirs was unanswered. */
  resets: number;
  /** Connections closed after an answer that said Connection: close. */
  closedCleanly: number;
  retryAfterMissing: number;
}

/** One keep-alive connection sending POST after POST, each as soon as the previous one is answered. */
function keepSending(port: number, n: number, tally: Tally, total: { answered: number }): Promise<void> {
  const b = `{"object":"whatsapp_business_account","entry":[{"id":"${n}","changes":[]}]}`;
  const request = Buffer.from(
    `POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nContent-Length: ${b.length}\r\nX-Hub-Signature-256: ${signBody(b, SECRET)}\r\n\r\n${b}`,
  );
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    let buffered = '';
    let outstanding = false;
    let closeSaid = false;
    const send = () => {
      outstanding = true;
      sock.write(request);
    };
    sock.on('connect', send);
    sock.on('data', (c: Buffer) => {
      buffered += c.toString('latin1');
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.slice(0, end);
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.slice(end + 4 + length);
        const status = Number(head.slice(9, 12));
        tally.answers.set(status, (tally.answers.get(status) ?? 0) + 1);
        if (status === 503 && !/\r\nretry-after: \d+/i.test(head)) tally.retryAfterMissing++;
        total.answered++;
        outstanding = false;
        if (/\r\nconnection: close/i.test(head)) closeSaid = true;
        else send();
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      if (outstanding || !closeSaid) tally.resets++;
      else tally.closedCleanly++;
      resolve();
    });
  });
}

test(`SIGTERM under ${CONNECTIONS} busy keep-alive connections: every request sent is answered (200 or 503 + Retry-After), zero resets`, async () => {
  const dir = tempDir();
  try {
    const w = await spawnWharf({
      DATABASE_URL: `sqlite:${join(dir.path, 'w.db')}`,
      WHATSAPP_APP_SECRET: SECRET,
    });
    const tally: Tally = { answers: new Map(), resets: 0, closedCleanly: 0, retryAfterMissing: 0 };
    const total = { answered: 0 };
    const clients = Promise.all(
      Array.from({ length: CONNECTIONS }, (_, n) => keepSending(w.port, n, tally, total)),
    );
    while (total.answered < 2 * CONNECTIONS) await new Promise((r) => setTimeout(r, 10));
    w.child.kill('SIGTERM');
    await clients;
    const exit = await w.exited;
    assert.equal(exit.code, 0, w.output());
    assert.equal(tally.resets, 0, `resets; answers ${JSON.stringify([...tally.answers])}`);
    assert.equal(tally.closedCleanly, CONNECTIONS);
    assert.deepEqual(
      [...tally.answers.keys()].filter((s) => s !== 200 && s !== 503),
      [],
    );
    assert.equal(tally.retryAfterMissing, 0);
  } finally {
    dir.cleanup();
  }
});
