/**
 * At least once across a crash (issue 12): Wharf is killed with SIGKILL while hand-offs are in
 * flight, then restarted on the same database. Every event reaches the receiver at least once, and
 * every try of an event carries the same webhook-id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnWharf } from '../../helpers/spawn-wharf.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startReceiver } from '../../helpers/destination-receiver.js';
import { httpRequest, postSigned } from '../../helpers/post-signed.js';
import { statusDelivery } from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';

const SECRET = 'kill-nine-secret';
const TOKEN = 'kill-nine-token';
const EVENTS = 40;

test(
  'a SIGKILL while deliveries are in flight, then a restart: every event reaches the receiver, always with the same webhook-id',
  { timeout: 90_000 },
  async () => {
    const dir = tempDir();
    // The receiver is slow, so several hand-offs are in flight when the kill comes.
    const rx = await startReceiver(async () => {
      await new Promise((r) => setTimeout(r, 150));
      return { status: 200 };
    });
    const env = {
      DATABASE_URL: `sqlite:${join(dir.path, 'wharf.db')}`,
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_API_TOKEN: TOKEN,
      WHARF_LEASE_SECONDS: '1',
      WHARF_DESTINATIONS_ALLOW_PRIVATE: 'true',
    };
    const script = 'test/helpers/destination-wharf-process.ts';
    try {
      const first = await spawnWharf(env, [], script);
      const base = `http://127.0.0.1:${first.port}`;
      const created = await httpRequest(`${base}/api/v1/destinations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'rx', kind: 'http', url: rx.url, timeout_ms: 2000, max_in_flight: 4 }),
      });
      assert.equal(created.status, 201, created.body);
      for (let i = 0; i < EVENTS; i++) {
        const a = await postSigned(
          `${base}/webhooks/whatsapp`,
          statusDelivery({ wamid: `wamid.K${i}`, status: 'sent', ts: 1767225600 + i }),
          SECRET,
        );
        assert.equal(a.status, 200);
      }
      await waitFor('some hand-offs received', () => rx.received.length >= 5, 20_000);
      first.child.kill('SIGKILL');
      assert.equal((await first.exited).signal, 'SIGKILL');
      const second = await spawnWharf(env, [], script);
      try {
        const keys = () => new Set(rx.received.map((r) => String(r.json['key'])));
        // The hand-offs the receiver was still answering when the process died are sent again once
        // their lease expires; the others are delivered by the restarted process meanwhile.
        await waitFor(
          'every event at the receiver, and the ones in flight at the kill again',
          () => keys().size === EVENTS && rx.received.length > EVENTS,
          60_000,
        );
        const idsByKey = new Map<string, Set<string>>();
        for (const r of rx.received) {
          const k = String(r.json['key']);
          if (!idsByKey.has(k)) idsByKey.set(k, new Set());
          idsByKey.get(k)?.add(String(r.headers['webhook-id']));
        }
        for (const [k, ids] of idsByKey) assert.equal(ids.size, 1, `${k}: one webhook-id on every try`);
        // The hand-offs the receiver was still answering when the process died were sent again.
        assert.ok(rx.received.length > EVENTS, 'some events were tried twice');
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await rx.close();
      dir.cleanup();
    }
  },
);
