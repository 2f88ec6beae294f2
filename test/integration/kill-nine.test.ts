import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { postSigned } from '../helpers/post-signed.js';
import { spawnWharf } from '../helpers/spawn-wharf.js';
import { tempDir } from '../helpers/temp-dir.js';

const SECRET = 'kill-nine-secret';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const body = (n: number) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"800000000000001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15551230000","phone_number_id":"900000000000001"},"statuses":[{"id":"wamid.KILL${n}","status":"sent","timestamp":"${1767225600 + n}","recipient_id":"447700900123"}]}}]}]}`;

test('a SIGKILL under concurrent signed load loses no acknowledged delivery and stores none twice', async () => {
  const dir = tempDir();
  const env = { DATABASE_URL: `sqlite:${join(dir.path, 'wharf.db')}`, WHATSAPP_APP_SECRET: SECRET };
  try {
    const first = await spawnWharf(env);
    const url = `http://127.0.0.1:${first.port}/webhooks/whatsapp`;
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const acknowledged = new Set<string>();
    let next = 0;
    let killed = false;
    // 32 concurrent senders; the server is killed once 300 deliveries are acknowledged, mid-stream.
    const sender = async () => {
      while (!killed && next < 5000) {
        const b = body(next++);
        try {
          const r = await postSigned(url, b, SECRET, {}, agent);
          if (r.status === 200) acknowledged.add(sha256(b));
        } catch {
          // connection reset by the kill: not acknowledged, Meta would retry it
        }
        if (!killed && acknowledged.size >= 300) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, sender));
    agent.destroy();
    const { signal } = await first.exited;
    assert.equal(signal, 'SIGKILL');
    assert.ok(acknowledged.size >= 300);

    // Restart on the same file: recovery of the WAL, migrations already applied, serving again.
    const second = await spawnWharf(env);
    try {
      const again = await postSigned(
        `http://127.0.0.1:${second.port}/webhooks/whatsapp`,
        body(999_999),
        SECRET,
      );
      assert.equal(again.status, 200);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    const db = new Database(join(dir.path, 'wharf.db'), { readonly: true });
    const rows = db.prepare('SELECT body_hash FROM deliveries').all() as Array<{ body_hash: string }>;
    db.close();
    const stored = new Map<string, number>();
    for (const r of rows) stored.set(r.body_hash, (stored.get(r.body_hash) ?? 0) + 1);
    const missing = [...acknowledged].filter((h) => !stored.has(h));
    assert.deepEqual(missing, [], 'every acknowledged delivery is in the inbox');
    assert.ok(
      [...stored.values()].every((n) => n === 1),
      'no delivery stored twice',
    );
  } finally {
    dir.cleanup();
  }
});
