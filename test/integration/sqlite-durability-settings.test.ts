/**
 * Which SQLite connections fsync their commits (docs/operations.md, "Durability"). The inbox's
 * writer and the outbox open their connections with openDatabase (synchronous=FULL): a 200 and a
 * replay request are on disk when they are answered. Processing commits hold only what can be
 * derived again from the inbox, and the dispatcher's claims and outcome marks only what a
 * redelivery repairs: both skip the fsync (synchronous=NORMAL).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { SqliteOutbox } from '../../src/adapters/sqlite/outbox.js';
import { tempDir } from '../helpers/temp-dir.js';

const FULL = 2;
const NORMAL = 1;
const synchronous = (db: SqliteDatabase) => db.pragma('synchronous', { simple: true });
const connectionOf = (o: object) => (o as { db: SqliteDatabase }).db;
const dispatchConnectionOf = (o: object) => (o as { dispatchDb: SqliteDatabase }).dispatchDb;

test('inbox and outbox connections fsync every commit; the processing and dispatch connections do not', async () => {
  const dir = tempDir();
  const path = join(dir.path, 'wharf.db');
  const inbox = openDatabase(path);
  migrate(inbox, 0);
  const processing = new SqliteProcessingStore(path, { backgroundCheckpoints: true });
  const outbox = new SqliteOutbox(path);
  try {
    assert.equal(synchronous(inbox), FULL, 'the connection openDatabase gives the inbox writer');
    assert.equal(synchronous(connectionOf(outbox)), FULL, 'replays and dead-letter replays');
    assert.equal(synchronous(dispatchConnectionOf(outbox)), NORMAL, 'claims and outcome marks');
    assert.equal(synchronous(connectionOf(processing)), NORMAL);
    assert.equal(inbox.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    await processing.close();
    await outbox.close();
    inbox.close();
    dir.cleanup();
  }
});
