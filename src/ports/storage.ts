/**
 * Every port of one database, as one adapter opens them: src/adapters/sqlite/open-storage.ts and
 * src/adapters/postgres/open-storage.ts (same file names), chosen by the composition root
 * (src/server/open-storage.ts). Ports open on first use, so a process opens only what its role
 * uses (an ingress-only process never opens the processing store; `wharf migrate` opens none), and
 * close() closes what was opened. A new port (a destination store, say) is one more field here and
 * in each adapter's openStorage.
 */
import type { Inbox } from './inbox.js';
import type { Outbox } from './outbox.js';
import type { ProcessingStore } from './processing-store.js';
import type { ReadStore } from './read-store.js';
import type { Retention } from './retention.js';
import type { DestinationStore } from './destination-store.js';
import type { ConversationStore } from './conversation-store.js';
import type { ActionStore } from './action-store.js';
import type { SendStore } from './send-store.js';

export interface Storage {
  /** `SQLite` or `PostgreSQL`, for logs and messages. */
  readonly label: string;
  readonly inbox: Inbox;
  readonly outbox: Outbox;
  /** The processor's write side (claim, commit, release). */
  readonly processing: ProcessingStore;
  /** What the API reads. */
  readonly reads: ReadStore;
  /** Removes what is past WHARF_RETENTION_DAYS. */
  readonly retention: Retention;
  /** Destinations, their secrets, health and attempt log. */
  readonly destinations: DestinationStore;
  /** Conversations per number and contact, with their notes and labels. */
  readonly conversations: ConversationStore;
  /** SMS fallback claims (one per wamid) and alert de-duplication (docs/actions.md). */
  readonly actions: ActionStore;
  /** Sends through the Cloud API, recorded before they leave, and the facts their guards read. */
  readonly sends: SendStore;
  /**
   * A file the database would be created in by opening it (SQLite, when it does not exist yet), or
   * null. Commands that only inspect (doctor, replay) refuse to run rather than leave an empty
   * database behind a typo in DATABASE_URL.
   */
  absentFile(): string | null;
  /**
   * Applies pending migrations, safely from several processes at once, before any port is used;
   * returns the versions applied. Refuses a database a newer release migrated.
   */
  migrate(now: number): Promise<number[]>;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** Which parts run in this process (`wharf start --role`); PostgreSQL sessions carry it in application_name. */
  readonly role: 'all' | 'ingress' | 'worker';
  /**
   * A command run by hand (`replay`, `prune`): it may wait on locks and run long statements, so
   * PostgreSQL sessions have no lock or statement timeout and are named `wharf-<operator>`. The
   * service's timeouts are there so that webhooks and workers never hang; a person can interrupt.
   * On SQLite no checkpointer thread runs beside it, so its own commits checkpoint the WAL.
   */
  readonly operator?: string;
  /** Longest wait for a lock (SQLite busy timeout, PostgreSQL lock_timeout); tests shorten it. */
  readonly busyTimeoutMs?: number;
  /** SQLite's in-memory window of body hashes that finds byte-identical redeliveries. */
  readonly dedupeWindowMs: number;
}
