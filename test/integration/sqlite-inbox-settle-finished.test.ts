import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteInbox } from '../../src/adapters/sqlite/inbox.js';
import type { AppendOutcome } from '../../src/ports/inbox.js';
import { tempDir } from '../helpers/temp-dir.js';

// Under thousands of busy connections one turn of the event loop reads requests for hundreds of
// ms, and the writer thread's reply would wait for the next poll (docs/benchmarks.md "Overload").
// settleFinished() takes a finished commit's reply at once, from inside the turn.
const status = (n: number) =>
  new Uint8Array(
    Buffer.from(
      `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.SETTLE${n}","status":"delivered","timestamp":"1767225600","recipient_id":"1"}]}}]}]}`,
    ),
  );
const sleep = new Int32Array(new SharedArrayBuffer(4));

describe('SQLite inbox: a finished commit is settled without waiting for the event loop', () => {
  test('settleFinished() resolves an append whose commit finished while the event loop was busy, before any other callback runs', async () => {
    const dir = tempDir('wharf-settle-');
    const path = join(dir.path, 'wharf.db');
    const db = openDatabase(path);
    migrate(db, Date.now());
    db.close();
    const inbox = new SqliteInbox(path);
    try {
      await inbox.warmUp();
      let outcomes: readonly AppendOutcome[] | undefined;
      void inbox
        .appendBatch([{ body: status(1), receivedAt: Date.now(), secretIndex: 0, requestId: 'r1' }])
        .then((o) => (outcomes = o));
      let eventLoopRan = false;
      setImmediate(() => (eventLoopRan = true));
      // The event loop does not turn in here: only this code and the microtasks it awaits run.
      const until = Date.now() + 20_000;
      while (outcomes === undefined && Date.now() < until) {
        Atomics.wait(sleep, 0, 0, 2);
        inbox.settleFinished();
        for (let i = 0; i < 5; i++) await null;
      }
      assert.equal(eventLoopRan, false, 'no turn of the event loop happened meanwhile');
      assert.ok(outcomes, 'the append settled from inside the turn');
      assert.equal(outcomes.length, 1);
      assert.equal(outcomes[0]!.duplicate, false);
      const stored = openDatabase(path);
      try {
        assert.equal(stored.prepare('SELECT count(*) FROM deliveries').pluck().get(), 1, 'and it is on disk');
      } finally {
        stored.close();
      }
      // Nothing finished: a call settles nothing and costs one load.
      inbox.settleFinished();
    } finally {
      await inbox.close();
      dir.cleanup();
    }
  });
});
