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
const db = openDatabase(path, { busyTimeoutMs });
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

parentPort?.on('message', (req: Request | 'close') => {
  if (req === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  try {
    // BEGIN IMMEDIATE: take the write lock up front so a busy database fails fast and whole.
    const outcomes = appendAll.immediate(req.items);
    parentPort?.postMessage({ seq: req.seq, outcomes });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    parentPort?.postMessage({
      seq: req.seq,
      error: { code: e.code ?? 'UNKNOWN', message: e.message ?? String(err) },
    });
  }
});
