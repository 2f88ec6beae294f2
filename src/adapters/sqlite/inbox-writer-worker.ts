/**
 * Worker thread that owns the inbox's write connection. Group commits run here so the
 * transaction and its fsync (synchronous=FULL) never block the HTTP event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { openDatabase } from './open-database.js';

interface Item {
  body: Uint8Array;
  receivedAt: number;
  secretIndex: number;
  requestId: string;
}
interface Request {
  seq: number;
  items: Item[];
}

const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };
// No SQLite busy handler: its sleeps grow to 100 ms, and a processing batch holding the write lock
// would then delay the 200s by that much. Retrying every 0.2 ms takes the lock in the first gap.
const db = openDatabase(path, { busyTimeoutMs: 0 });
const pause = new Int32Array(new SharedArrayBuffer(4));
// Checkpoints run in checkpointer-worker.ts, never inside a group commit.
db.pragma('wal_autocheckpoint = 0');
const insert = db.prepare(
  `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id)
   VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (body_hash) DO NOTHING`,
);
const bumpDuplicate = db.prepare(
  'UPDATE deliveries SET duplicates = duplicates + 1 WHERE body_hash = ? RETURNING id',
);

const appendAll = db.transaction((items: Item[]) =>
  items.map((it) => {
    const bodyHash = createHash('sha256').update(it.body).digest('hex');
    const r = insert.run(it.receivedAt, bodyHash, it.body, it.body.byteLength, it.secretIndex, it.requestId);
    if (r.changes === 1) return { id: String(r.lastInsertRowid), duplicate: false, bodyHash };
    const row = bumpDuplicate.get(bodyHash) as { id: number | bigint };
    return { id: String(row.id), duplicate: true, bodyHash };
  }),
);

function appendWhileBusy(items: Item[]) {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      return appendAll.immediate(items);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 0.2);
    }
  }
}

parentPort?.on('message', (req: Request | 'close') => {
  if (req === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  try {
    // BEGIN IMMEDIATE: take the write lock up front so a busy database fails fast and whole.
    const outcomes = appendWhileBusy(req.items);
    parentPort?.postMessage({ seq: req.seq, outcomes });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    parentPort?.postMessage({
      seq: req.seq,
      error: { code: e.code ?? 'UNKNOWN', message: e.message ?? String(err) },
    });
  }
});
