import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteInbox } from '../../src/adapters/sqlite/inbox.js';
import type { NewDelivery } from '../../src/ports/inbox.js';
import { tempDir } from '../helpers/temp-dir.js';
import { withSqliteBeforeMigration } from '../helpers/sqlite-before-migration.js';

// The SQLite inbox finds byte-identical redeliveries with an in-memory table of recent hashes
// (migration 0007 dropped the unique index). These are the cases an index would have covered.
const delivery = (body: string, receivedAt = Date.now()): NewDelivery => ({
  body: new Uint8Array(Buffer.from(body)),
  receivedAt,
  secretIndex: 0,
  requestId: 'r',
});

async function withDatabase(fn: (path: string) => Promise<void>) {
  const dir = tempDir('wharf-dedupe-');
  try {
    const path = join(dir.path, 'wharf.db');
    const db = openDatabase(path);
    migrate(db, Date.now());
    db.close();
    await fn(path);
  } finally {
    dir.cleanup();
  }
}

function rows(path: string): Array<{ id: number; body: string; duplicates: number }> {
  const db = openDatabase(path);
  try {
    return (
      db.prepare('SELECT id, body, duplicates FROM deliveries ORDER BY id').all() as Array<{
        id: number;
        body: Buffer;
        duplicates: number;
      }>
    ).map((r) => ({ id: r.id, body: r.body.toString(), duplicates: r.duplicates }));
  } finally {
    db.close();
  }
}

describe('SQLite inbox dedupe without a unique index', () => {
  test('a redelivery after a restart is found from the hashes loaded at start', async () => {
    await withDatabase(async (path) => {
      const first = new SqliteInbox(path);
      const [a] = await first.appendBatch([delivery('{"n":1}')]);
      await first.close();
      const second = new SqliteInbox(path);
      try {
        const [again, other] = await second.appendBatch([delivery('{"n":1}'), delivery('{"n":2}')]);
        assert.equal(again?.duplicate, true);
        assert.equal(again?.id, a?.id);
        assert.equal(other?.duplicate, false);
      } finally {
        await second.close();
      }
      assert.deepEqual(rows(path), [
        { id: 1, body: '{"n":1}', duplicates: 1 },
        { id: 2, body: '{"n":2}', duplicates: 0 },
      ]);
    });
  });

  test('two writers on one file (two processes, say) store each body once', async () => {
    await withDatabase(async (path) => {
      const x = new SqliteInbox(path);
      const y = new SqliteInbox(path);
      try {
        // Interleaved: each writer must see what the other committed before its own insert.
        for (let i = 0; i < 20; i++) {
          const body = `{"i":${i}}`;
          const [fromX] = await (i % 2 ? x : y).appendBatch([delivery(body)]);
          const [fromY] = await (i % 2 ? y : x).appendBatch([delivery(body)]);
          assert.equal(fromX?.duplicate, false);
          assert.equal(fromY?.duplicate, true);
          assert.equal(fromY?.id, fromX?.id);
        }
        // And concurrently, the same 50 bodies from both at once.
        const bodies = Array.from({ length: 50 }, (_, i) => delivery(`{"c":${i}}`));
        const [ox, oy] = await Promise.all([x.appendBatch(bodies), y.appendBatch(bodies)]);
        for (let i = 0; i < 50; i++) {
          assert.equal(ox[i]?.id, oy[i]?.id, `body ${i} stored under one id`);
          assert.equal(Number(ox[i]?.duplicate) + Number(oy[i]?.duplicate), 1);
        }
      } finally {
        await x.close();
        await y.close();
      }
      const stored = rows(path);
      assert.equal(stored.length, 70);
      assert.equal(new Set(stored.map((r) => r.body)).size, 70);
    });
  });

  test('a group commit larger than one multi-row insert keeps every body under its own id, in order, repeats counted', async () => {
    await withDatabase(async (path) => {
      const inbox = new SqliteInbox(path);
      try {
        const [before] = await inbox.appendBatch([delivery('{"before":true}')]);
        // 150 deliveries: more than one INSERT statement holds (64 rows); body 100 repeats body 10
        // (across statements) and body 149 repeats the delivery stored before this batch.
        const batch = Array.from({ length: 150 }, (_, i) =>
          delivery(i === 100 ? '{"b":10}' : i === 149 ? '{"before":true}' : `{"b":${i}}`),
        );
        const out = await inbox.appendBatch(batch);
        const fresh = out.filter((o) => !o.duplicate).map((o) => Number(o.id));
        assert.equal(fresh.length, 148);
        assert.deepEqual(
          fresh,
          fresh.map((_, k) => Number(before?.id) + 1 + k),
          'new rows take the ids after the newest, in input order',
        );
        assert.equal(out[100]?.duplicate, true);
        assert.equal(out[100]?.id, out[10]?.id);
        assert.equal(out[149]?.duplicate, true);
        assert.equal(out[149]?.id, before?.id);
        for (const i of [0, 63, 64, 65, 128, 148]) {
          const body = await inbox.body(out[i]!.id);
          assert.equal(Buffer.from(body!).toString(), `{"b":${i}}`, `body ${i} under its id`);
        }
      } finally {
        await inbox.close();
      }
      const stored = rows(path);
      assert.equal(stored.length, 149);
      assert.equal(stored.find((r) => r.body === '{"b":10}')?.duplicates, 1);
      assert.equal(stored.find((r) => r.body === '{"before":true}')?.duplicates, 1);
    });
  });

  test('a write that fails and rolls back does not make its bytes look stored', async () => {
    await withDatabase(async (path) => {
      const inbox = new SqliteInbox(path, { busyTimeoutMs: 50 });
      const locker = openDatabase(path);
      try {
        await inbox.appendBatch([delivery('{"warm":1}')]);
        locker.exec('BEGIN IMMEDIATE');
        await assert.rejects(inbox.appendBatch([delivery('{"lost":1}')]), /inbox write failed/);
        locker.exec('ROLLBACK');
        const [retry] = await inbox.appendBatch([delivery('{"lost":1}')]);
        assert.equal(retry?.duplicate, false);
      } finally {
        locker.close();
        await inbox.close();
      }
      assert.deepEqual(
        rows(path).map((r) => r.body),
        ['{"warm":1}', '{"lost":1}'],
      );
    });
  });

  test('the window bounds what is remembered: bytes first received long before it are stored again', async () => {
    await withDatabase(async (path) => {
      const hour = 3600_000;
      const old = Date.now() - 10 * hour;
      const first = new SqliteInbox(path, { dedupeWindowMs: hour });
      await first.appendBatch([delivery('{"old":1}', old)]);
      await first.close();
      const second = new SqliteInbox(path, { dedupeWindowMs: hour });
      try {
        const [again] = await second.appendBatch([delivery('{"old":1}')]);
        assert.equal(again?.duplicate, false);
      } finally {
        await second.close();
      }
    });
  });

  test('migration 0007 keeps every delivery and column and drops the unique index', async () => {
    await withSqliteBeforeMigration(7, async (db) => {
      const add = db.prepare(
        `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id, duplicates, state, processed_at, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      add.run(5, 'h1', Buffer.from([0, 255]), 2, 1, 'r1', 3, 'processed', 9, null);
      add.run(6, 'h2', Buffer.from('x'), 1, 0, 'r2', 0, 'invalid', 10, 'not JSON');
      add.run(7, 'h3', Buffer.from('y'), 1, 0, 'r3', 0, 'pending', null, null);
      const before = db.prepare('SELECT * FROM deliveries ORDER BY id').all();
      migrate(db, 0);
      assert.deepEqual(db.prepare('SELECT * FROM deliveries ORDER BY id').all(), before);
      const indexes = db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' ORDER BY name",
        )
        .pluck()
        .all();
      // deliveries_unprocessed is gone since migration 0008 (outcomes in delivery_outcomes).
      assert.deepEqual(indexes, ['deliveries_received_at']);
      db.close();
    });
  });
});
