/**
 * A WAL under continuous writes starts again from its first frame without a RESTART checkpoint
 * (src/adapters/sqlite/wal-rewinder.ts): the writers are held only while the last frames are
 * copied, a reader that still needs old frames makes the attempt stop before any hold, and a writer
 * that keeps the lock makes it give up rather than wait.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/open-database.js';
import { WalRewinder } from '../../src/adapters/sqlite/wal-rewinder.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const BODY = Buffer.alloc(1500, 'x');

/** The wal-index header in the `-shm` file: frames in the WAL now, and salt-1, +1 at each restart. */
function walHeader(path: string): { frames: number; salt: number } {
  const fd = openSync(`${path}-shm`, 'r');
  try {
    const header = Buffer.alloc(48);
    readSync(fd, header, 0, 48, 0);
    return { frames: header.readUInt32LE(16), salt: header.readUInt32BE(32) };
  } finally {
    closeSync(fd);
  }
}

function freshDatabase(): { path: string; db: SqliteDatabase; cleanup: () => void } {
  const dir = tempDir();
  const path = join(dir.path, 'wal.db');
  const db = openDatabase(path);
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  return { path, db, cleanup: dir.cleanup };
}

function writeRows(db: SqliteDatabase, rows: number): void {
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(BODY);
  })();
}

/** A writer thread committing 10 rows at a time back to back, as the inbox writer does under load. */
const WRITER = `
const { workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
const body = Buffer.alloc(1500, 'x');
const commit = db.transaction(() => { for (let i = 0; i < 10; i++) insert.run(body); });
const pause = new Int32Array(new SharedArrayBuffer(4));
const { control } = workerData; // [0]: 1 = stop, [1]: commits, [2]: longest wait for the lock, µs
while (Atomics.load(control, 0) === 0) {
  const asked = performance.now();
  for (;;) {
    try { commit.immediate(); break; }
    catch (err) { if (err.code !== 'SQLITE_BUSY') throw err; Atomics.wait(pause, 0, 0, 0.2); }
  }
  const waited = Math.round((performance.now() - asked) * 1000);
  if (waited > Atomics.load(control, 2)) Atomics.store(control, 2, waited);
  Atomics.add(control, 1, 1);
}
db.close();
`;

test('under back-to-back commits the WAL starts again from its first frame, and every row stays', async () => {
  const { path, db, cleanup } = freshDatabase();
  const control = new Int32Array(new SharedArrayBuffer(12));
  const writer = new Worker(WRITER, { eval: true, workerData: { path, control } });
  const exited = new Promise<void>((resolve, reject) => {
    writer.once('error', reject);
    writer.once('exit', () => resolve());
  });
  const rewinder = new WalRewinder(db, path);
  try {
    // Without a rewind, PASSIVE checkpoints alone never let the WAL start again under this load.
    await waitFor('2,000 frames in the WAL', () => walHeader(path).frames > 2000, 30_000);
    const before = walHeader(path);
    let outcome = rewinder.rewind();
    for (let i = 0; i < 20 && outcome.result !== 'complete'; i++) outcome = rewinder.rewind();
    assert.equal(outcome.result, 'complete');
    assert.ok(outcome.heldMs > 0, 'the writers were held for the last frames');
    const commitsAfter = Atomics.load(control, 1) + 3;
    await waitFor('three more commits', () => Atomics.load(control, 1) >= commitsAfter, 10_000);
    const after = walHeader(path);
    assert.notEqual(after.salt, before.salt, 'the WAL started again from its first frame');
    assert.ok(after.frames < before.frames, `${after.frames} frames now, ${before.frames} before`);
  } finally {
    Atomics.store(control, 0, 1);
    await exited;
    rewinder.close();
  }
  const commits = Atomics.load(control, 1);
  assert.equal(
    db.prepare('SELECT count(*) FROM t').pluck().get(),
    commits * 10,
    'every committed row is there',
  );
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
  cleanup();
});

test('a reader that still needs old frames stops the attempt before the writers are held', () => {
  const { path, db, cleanup } = freshDatabase();
  const reader = openDatabase(path);
  const writer = openDatabase(path, { busyTimeoutMs: 0 });
  const rewinder = new WalRewinder(db, path);
  try {
    writeRows(writer, 50);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').pluck().get();
    writeRows(writer, 50);

    const blocked = rewinder.rewind();
    assert.deepEqual(blocked, { result: 'reader', heldMs: 0, heldFrames: 0 });
    writeRows(writer, 1); // no lock was left behind: this write takes it at once (busy timeout 0)

    reader.exec('COMMIT');
    const before = walHeader(path);
    assert.equal(rewinder.rewind().result, 'complete');
    writeRows(writer, 1);
    const after = walHeader(path);
    assert.notEqual(after.salt, before.salt);
    assert.ok(after.frames <= 4, `the write went to the WAL's first frames (${after.frames} in use)`);
    assert.equal(reader.prepare('SELECT count(*) FROM t').pluck().get(), 102);
  } finally {
    rewinder.close();
    writer.close();
    reader.close();
    db.close();
    cleanup();
  }
});

test('a writer that keeps the lock makes the attempt give up after its wait, not block', () => {
  const { path, db, cleanup } = freshDatabase();
  const writer = openDatabase(path, { busyTimeoutMs: 0 });
  const rewinder = new WalRewinder(db, path, { lockWaitMs: 20 });
  try {
    writeRows(writer, 50);
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare('INSERT INTO t (body) VALUES (?)').run(BODY);
    assert.deepEqual(rewinder.rewind(), { result: 'writers-busy', heldMs: 0, heldFrames: 0 });
    writer.exec('COMMIT');
    assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 51);
  } finally {
    rewinder.close();
    writer.close();
    db.close();
    cleanup();
  }
});
