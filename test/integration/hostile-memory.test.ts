import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { createFastIngress } from '../../src/api/fast-ingress.js';
import { ByteBudget } from '../../src/api/byte-budget.js';
import { spawnWharf } from '../helpers/spawn-wharf.js';
import { startTestWharf, TEST_SECRET } from '../helpers/start-test-wharf.js';
import { signBody } from '../../src/core/verify-signature.js';
import { tempDir } from '../helpers/temp-dir.js';

const MB = 1024 * 1024;
const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** RSS once it has stopped growing: two readings 500 ms apart within 2 MB, or after 10 s. */
async function settledRss(pid: number): Promise<number> {
  let last = rssOf(pid);
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = rssOf(pid);
    if (Math.abs(now - last) < 2 * MB) return now;
    last = now;
  }
  return last;
}

/** Opens a connection, writes the head and a body one byte short of what it declared, and keeps it open. */
function stalledUpload(
  port: number,
  declared: number,
  body: Buffer,
): Promise<{ sock: Socket; answer: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let text = '';
    const answer = new Promise<string>((r) => {
      sock.on('data', (c: Buffer) => {
        text += c.toString('latin1');
        if (text.includes('\r\n\r\n')) r(text);
      });
      sock.on('close', () => r(text));
    });
    sock.on('error', () => undefined);
    sock.once('connect', () => {
      sock.write(
        `POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nContent-Length: ${declared}\r\nX-Hub-Signature-256: sha256=${'0'.repeat(64)}\r\n\r\n`,
      );
      sock.write(body.subarray(0, declared - 1));
      resolve({ sock, answer });
    });
    sock.once('error', reject);
  });
}

describe('memory has a bound (hostile uploads)', () => {
  test('300 connections each sending 4 MB − 1 of a declared 4 MB body: RSS stays under the budget plus a fixed margin, the rest get 503 + Retry-After at once', async () => {
    const dir = tempDir();
    const budget = 32 * MB;
    const wharf = await spawnWharf({
      DATABASE_URL: `sqlite:${join(dir.path, 'wharf.db')}`,
      WHATSAPP_APP_SECRET: 'memory-secret',
      WHARF_MAX_BUFFERED_BYTES: String(budget),
      // The admitted uploads stay stalled while 300 connections are set up on a busy machine.
      WHARF_REQUEST_TIMEOUT_MS: '120000',
    });
    const pid = wharf.child.pid as number;
    const body = Buffer.alloc(4 * MB, 0x61);
    const uploads: Array<{ sock: Socket; answer: Promise<string> }> = [];
    try {
      // The baseline is taken once start-up has settled: worker threads (the processing writer, the
      // dispatch writer on its first claim) and lazily opened ports grow RSS in the first moments,
      // and that growth is not the uploads' memory.
      const baseline = await settledRss(pid);
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
      for (let i = 0; i < 300; i++) uploads.push(await stalledUpload(wharf.port, 4 * MB, body));
      // Every connection either got its 503 or is an admitted upload waiting for its last byte.
      const answers = await Promise.all(
        uploads.map((u) =>
          // Generous: on a loaded machine a 503 can take seconds to arrive, and counting it as an
          // admitted upload would fail the budget check for no fault of the server.
          Promise.race([u.answer, new Promise<string>((r) => setTimeout(() => r('waiting'), 15_000))]),
        ),
      );
      peak = Math.max(peak, rssOf(pid));
      clearInterval(sampler);
      const refused = answers.filter((a) => /^HTTP\/1\.1 503/.test(a));
      const waiting = answers.filter((a) => a === 'waiting');
      // A refused client still writing its 4 MB may see the connection reset before it reads the 503
      // (the server stops discarding after a second); it got no other answer either.
      const cut = answers.filter((a) => a === '');
      assert.ok(
        refused.every((a) => /\r\nretry-after: \d+\r\n/i.test(a)),
        'each 503 says when to retry',
      );
      assert.equal(refused.length + waiting.length + cut.length, 300, 'no other answer');
      assert.ok(
        waiting.length <= budget / (4 * MB),
        `${waiting.length} uploads admitted within a ${budget} B budget`,
      );
      assert.ok(refused.length >= 200, `${refused.length} answered 503`);
      const margin = 96 * MB;
      assert.ok(peak - baseline < budget + margin, `RSS grew by ${Math.round((peak - baseline) / MB)} MB`);
    } finally {
      for (const u of uploads) u.sock.destroy();
      wharf.child.kill('SIGKILL');
      await wharf.exited;
      dir.cleanup();
    }
  });

  test('a connection that keeps sending while its request waits for its commit is no longer read (backpressure)', async () => {
    let release: () => void = () => undefined;
    const budget = new ByteBudget(64 * MB);
    const fast = createFastIngress({
      webhookPath: '/webhooks/whatsapp',
      maxBodyBytes: 1024,
      budget,
      ingest: () =>
        new Promise((r) => (release = () => r({ status: 200, headers: {}, body: Buffer.from('OK') }))),
      tooLarge: () => ({ status: 413, headers: {}, body: Buffer.alloc(0) }),
      fallback: (s) => s.destroy(),
    });
    await new Promise<void>((r) => fast.server.listen(0, '127.0.0.1', () => r()));
    const sock = connect((fast.server.address() as { port: number }).port, '127.0.0.1');
    sock.on('error', () => undefined);
    try {
      await new Promise((r) => sock.once('connect', r));
      sock.write('POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}');
      // 64 MB offered while the first request waits: the kernel's socket buffers take a few MB, the
      // server only what it read before it stopped.
      const offered = 64 * MB;
      const piece = Buffer.alloc(MB, 0x20);
      for (let i = 0; i < offered / MB; i++) sock.write(piece);
      await new Promise((r) => setTimeout(r, 500));
      const flushed = sock.bytesWritten - sock.writableLength;
      assert.ok(flushed < 24 * MB, `${Math.round(flushed / MB)} MB of ${offered / MB} MB left the client`);
      assert.ok(budget.used <= 1024 * 1024, `${budget.used} bytes held by the server`);
      release();
    } finally {
      sock.destroy();
      fast.shutdown();
      fast.destroyAll();
    }
  });

  test('a chunked body (node:http path) counts against the same budget: past it 503 + Retry-After, within it 200', async () => {
    const w = await startTestWharf({ WHARF_MAX_BUFFERED_BYTES: 4096, WHARF_MAX_BODY_BYTES: 4096 });
    const chunked = (b: string) =>
      `POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\nX-Hub-Signature-256: ${signBody(b, TEST_SECRET)}\r\n\r\n` +
      `${Buffer.byteLength(b).toString(16)}\r\n${b}\r\n0\r\n\r\n`;
    const send = (raw: string) =>
      new Promise<string>((resolve) => {
        const sock = connect(Number(new URL(w.baseUrl).port), '127.0.0.1');
        let text = '';
        sock.on('data', (c: Buffer) => (text += c.toString('latin1')));
        sock.on('close', () => resolve(text));
        sock.on('error', () => undefined);
        sock.write(raw);
      });
    try {
      const small = `{"object":"whatsapp_business_account","entry":[{"id":"chunked-small","changes":[]}]}`;
      assert.match(await send(chunked(small)), /^HTTP\/1\.1 200/);
      // Hold most of the budget with a declared body that never completes, then send a chunked one.
      const holder = await stalledUpload(Number(new URL(w.baseUrl).port), 3500, Buffer.alloc(3500, 0x20));
      const big = `{"object":"whatsapp_business_account","entry":[{"id":"chunked-big","pad":"${'p'.repeat(1500)}","changes":[]}]}`;
      const refused = await send(chunked(big));
      assert.match(refused, /^HTTP\/1\.1 503/);
      assert.match(refused, /\r\nretry-after: \d+\r\n/i);
      holder.sock.destroy();
    } finally {
      await w.stop();
    }
  });
});
