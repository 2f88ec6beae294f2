/**
 * Every SQLite port of one database file, opened on first use (src/ports/storage.ts). Each port
 * keeps its own connection or thread: SQLite has no pool, and WAL lets them read while one writes.
 */
import { existsSync } from 'node:fs';
import type { Storage, StorageOptions } from '../../ports/storage.js';
import type { ProcessingStore } from '../../ports/processing-store.js';
import { openDatabase } from './open-database.js';
import { migrate } from './migrate.js';
import { SqliteInbox } from './inbox.js';
import { ThreadedOutbox } from './threaded-outbox.js';
import { ThreadedDestinationStore } from './threaded-destination-store.js';
import { DispatchThread } from './dispatch-thread.js';
import { SqliteProcessingStore } from './processing-store.js';
import { ThreadedProcessingStore } from './threaded-processing-store.js';
import { SqliteReadStore } from './read-store.js';
import { SqliteRetention } from './retention.js';
import { CommitNotices } from './commit-notices.js';
import { SqliteConversationStore } from './conversation-store.js';
import { SqliteMediaDownloads } from './media-downloads.js';
import { SqliteActionStore } from './action-store.js';
import { SqliteSendStore } from './send-store.js';
import { lazyPorts } from '../lazy-ports.js';
import { storageOnPorts, type StoragePorts } from '../storage-on-ports.js';

export function openStorage(path: string, options: StorageOptions): Storage {
  const busy = options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs };
  const notices = new CommitNotices();
  // The dispatcher's writes (claims, marks, attempt log) run in one thread of their own, started by
  // the first of them: see dispatch-writer-worker.ts.
  const dispatch = new DispatchThread(path, options.busyTimeoutMs);
  const ports = lazyPorts<StoragePorts>({
    inbox: () => new SqliteInbox(path, { dedupeWindowMs: options.dedupeWindowMs, ...busy }),
    outbox: () => new ThreadedOutbox(path, dispatch, busy),
    processing: () => processingStore(path, options, notices),
    reads: () => new SqliteReadStore(path, notices, busy),
    retention: () =>
      new SqliteRetention(path, { ...busy, backgroundCheckpoints: options.operator === undefined }),
    destinations: () => new ThreadedDestinationStore(path, dispatch, busy),
    conversations: () => new SqliteConversationStore(path, busy),
    media: () => new SqliteMediaDownloads(path, busy),
    actions: () => new SqliteActionStore(path, busy),
    sends: () => new SqliteSendStore(path, busy),
  });
  return storageOnPorts(ports, {
    label: 'SQLite',
    absentFile: () => (existsSync(path) ? null : path),
    async migrate(now) {
      const db = openDatabase(path);
      try {
        return migrate(db, now).map((m) => m.version);
      } finally {
        db.close();
      }
    },
    async close() {
      await ports.closeAll();
      notices.clear();
    },
  });
}

/**
 * In a process that takes webhooks (role `all`), processing writes run in a worker thread: a batch
 * waiting for the write lock (held by the inbox writer) or for its fsync must not hold up the
 * webhook's 200 (docs/benchmarks.md, "End-to-end lag"). A `worker` process has no 200 to protect,
 * and handing every batch to a thread costs about a quarter of its throughput (docs/benchmarks.md,
 * "Processing"), so it writes on its own thread, leaving WAL checkpoints to the inbox's
 * checkpointer thread (every Wharf process opens the inbox: every role serves the webhook).
 */
function processingStore(path: string, options: StorageOptions, notices: CommitNotices): ProcessingStore {
  const busy = options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs };
  return options.role === 'worker'
    ? new SqliteProcessingStore(path, { ...busy, backgroundCheckpoints: true, notices })
    : new ThreadedProcessingStore(path, { ...busy, notices });
}
