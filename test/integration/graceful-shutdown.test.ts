import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { postSigned } from '../helpers/post-signed.js';
import { spawnWharf } from '../helpers/spawn-wharf.js';
import { tempDir } from '../helpers/temp-dir.js';

const SECRET = 'shutdown-secret';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const body = (n: number) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"1","time":${n},"changes":[]}]}`;

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`on ${signal} it stops accepting, commits and answers what is pending, and exits 0`, async () => {
    const dir = tempDir();
    try {
      const w = await spawnWharf({
        DATABASE_URL: `sqlite:${join(dir.path, 'w.db')}`,
        WHATSAPP_APP_SECRET: SECRET,
      });
      const url = `http://127.0.0.1:${w.port}/webhooks/whatsapp`;
      const agent = new Agent({ keepAlive: true, maxSockets: 16 });
      const acknowledged: string[] = [];
      const statuses = new Map<number, number>();
      let n = 0;
      let stop = false;
      const sender = async () => {
        while (!stop) {
          const b = body(n++);
          try {
            const r = await postSigned(url, b, SECRET, {}, agent);
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            if (r.status === 200) acknowledged.push(sha256(b));
          } catch {
            stop = true; // the server closed: no further sends
          }
        }
      };
      const senders = Promise.all(Array.from({ length: 16 }, sender));
      while (acknowledged.length < 100) await new Promise((r) => setTimeout(r, 5));
      w.child.kill(signal);
      const exit = await w.exited;
      stop = true;
      await senders;
      agent.destroy();
      assert.equal(exit.code, 0, w.output());
      for (const code of statuses.keys())
        assert.ok(code === 200 || code === 503, `unexpected status ${code}`);
      const db = new Database(join(dir.path, 'w.db'), { readonly: true });
      const stored = new Set(
        (db.prepare('SELECT body_hash FROM deliveries').all() as Array<{ body_hash: string }>).map(
          (r) => r.body_hash,
        ),
      );
      db.close();
      assert.deepEqual(
        acknowledged.filter((h) => !stored.has(h)),
        [],
      );
      assert.match(w.output(), /wharf stopped/);
    } finally {
      dir.cleanup();
    }
  });
}
