/**
 * The reference `npm run bench:ingest` measures Wharf against (bench/servers/durable-append.mjs) must
 * itself be correct, or the comparison flatters it: a 200 only for a body signed with the secret, and
 * only once the body is in the file; a bad signature gets 401 and leaves the file as it was.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { postSigned } from '../helpers/post-signed.js';
import { tempDir } from '../helpers/temp-dir.js';
import { statusPayload } from '../../bench/ingest-payload.js';

const SECRET = 'bench-secret';
const dir = tempDir('wharf-durable-ref-');
const file = join(dir.path, 'inbox.log');
let child: ChildProcess;
let url: string;

/** The file's length-prefixed records, in order. */
function records(): string[] {
  const bytes = readFileSync(file);
  const out: string[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = bytes.readUInt32LE(at);
    out.push(bytes.subarray(at + 4, at + 4 + length).toString('utf8'));
    at += 4 + length;
  }
  return out;
}

before(async () => {
  child = spawn(process.execPath, ['bench/servers/durable-append.mjs', '0', SECRET, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      const m = /listening (\d+)/.exec(c.toString());
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  url = `http://127.0.0.1:${port}/webhooks/whatsapp`;
});
after(async () => {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  dir.cleanup();
});

test('when the 200 for a signed body arrives, the body is in the file, byte for byte', async () => {
  const body = statusPayload(1);
  const r = await postSigned(url, body, SECRET);
  assert.equal(r.status, 200);
  assert.deepEqual(records(), [body]);
});

test('a wrong signature gets 401 and appends nothing', async () => {
  const before = records().length;
  const r = await postSigned(url, statusPayload(2), 'another-secret');
  assert.equal(r.status, 401);
  assert.equal(records().length, before);
});

test('concurrent requests share group flushes and every acknowledged body is stored once', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const bodies = Array.from({ length: 64 }, (_, i) => statusPayload(100 + i));
  const answers = await Promise.all(bodies.map((b) => postSigned(url, b, SECRET, {}, agent)));
  agent.destroy();
  assert.ok(answers.every((a) => a.status === 200));
  const stored = records();
  for (const b of bodies) assert.equal(stored.filter((s) => s === b).length, 1);
});
