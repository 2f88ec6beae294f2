import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteInbox } from '../../src/adapters/sqlite/inbox.js';
import { newWalHold, whileWriterHeld } from '../../src/adapters/sqlite/wal-hold.js';
import type { AppendOutcome, NewDelivery } from '../../src/ports/inbox.js';
import { tempDir } from '../helpers/temp-dir.js';
import { walIndex } from '../helpers/wal-index.js';

// SQLite restarts its WAL from the first frame only when a write transaction begins with every
// frame checkpointed. Under group commits that never stop, a checkpoint running beside them never
// ends in a gap between two commits, so without help the WAL only grows (docs/benchmarks.md,
// "The pinned p99 outlier").
const PAD = 'x'.repeat(1500);
const delivery = (n: number): NewDelivery => ({
  body: new Uint8Array(Buffer.from(`{"n":${n},"pad":"${PAD}"}`)),
  receivedAt: Date.now(),
  secretIndex: 0,
  requestId: `r${n}`,
});
const batch = (first: number): NewDelivery[] => Array.from({ length: 32 }, (_, i) => delivery(first + i));

async function withDatabase(fn: (path: string) => Promise<void>) {
  const dir = tempDir('wharf-wal-');
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

describe('SQLite inbox WAL under continuous group commits', () => {
  test('the writer stands still between two group commits while the checkpointer asks it to', async () => {
    await withDatabase(async (path) => {
      const walHold = newWalHold();
      const inbox = new SqliteInbox(path, { walHold });
      const db = openDatabase(path, { readonly: true });
      try {
        await inbox.warmUp();
        // Queued in the writer's port: it goes from one commit to the next without this thread.
        const commits = Array.from({ length: 8 }, (_, i) => inbox.appendBatch(batch(i * 32)));
        const count = db.prepare('SELECT count(*) FROM deliveries').pluck();
        const { came, result } = whileWriterHeld(walHold, 10_000, () => count.get() as number);
        assert.equal(came, true, 'the writer came to a stop when asked');
        assert.ok(result >= 32 && result < 8 * 32, `it stopped between two commits (${result} rows)`);
        assert.equal(result % 32, 0, 'after a whole group commit');
        await Promise.all(commits);
        assert.equal(count.get(), 8 * 32, 'every batch committed once released');
      } finally {
        db.close();
        await inbox.close();
      }
    });
  });

  test('the WAL restarts from its first frame again and again while group commits never stop', async () => {
    await withDatabase(async (path) => {
      const inbox = new SqliteInbox(path);
      try {
        await inbox.warmUp();
        await inbox.appendBatch(batch(0));
        const start = walIndex(path).restarts;
        // Always 16 batches queued, so the writer never waits for this thread between commits.
        const inFlight: Promise<readonly AppendOutcome[]>[] = [];
        let sent = 1;
        // A batch is ≈ 100 KB of WAL and the WAL restarts once it holds 32 MB: ≈ 350 batches each.
        const MAX_BATCHES = 3000;
        while (walIndex(path).restarts - start < 2 && sent < MAX_BATCHES) {
          while (inFlight.length < 16) inFlight.push(inbox.appendBatch(batch(sent++ * 32)));
          await inFlight.shift();
        }
        await Promise.all(inFlight);
        assert.ok(
          walIndex(path).restarts - start >= 2,
          `restarts: ${walIndex(path).restarts - start} in ${sent} back-to-back group commits`,
        );
      } finally {
        await inbox.close();
      }
    });
  });
});
