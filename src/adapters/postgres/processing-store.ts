/**
 * PostgreSQL processing store: any number of worker processes share one database. Claims skip
 * rows another worker is claiming or committing (FOR UPDATE SKIP LOCKED), leases expire so a dead
 * worker's deliveries are reclaimed, and a commit is one transaction of a few multi-row statements
 * (commit-batch.ts), which sends the commit notice by NOTIFY (read-store.ts listens), so API
 * processes see every worker's commits. The pool belongs to the caller (open-storage.ts).
 */
import type {
  BatchResult,
  ClaimedDelivery,
  CommitOutcome,
  ProcessingStore,
} from '../../ports/processing-store.js';
import type { PostgresDatabase } from './open-database.js';
import { commitBatch } from './commit-batch.js';
import { ChannelListener } from './listen-channel.js';
import { eventsChannel } from './read-store.js';
import { inboxChannel } from './inbox.js';
import { classify } from './storage-error.js';
import { CLAIM_BYTES } from '../../ports/claim-bytes.js';

// Pending deliveries, and leased ones whose lease expired (their worker died), oldest first, until
// their bodies reach $5 bytes (the first always counts). Rows locked past that bound are released
// when the statement's transaction ends.
const CLAIM = `UPDATE deliveries SET state = 'processing', lease_owner = $1, lease_until = $2
  WHERE id IN (SELECT id FROM (SELECT id, sum(size) OVER (ORDER BY id) - size AS before
               FROM (SELECT id, size FROM deliveries WHERE state IN ('pending', 'processing')
                     AND (state = 'pending' OR lease_until < $3) ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) AS due
               ) AS running WHERE before < $5)
  RETURNING id, body, received_at, attempts`;

const RELEASE = `UPDATE deliveries SET state = 'pending', lease_owner = NULL, lease_until = NULL
  WHERE id = ANY($1::bigint[]) AND lease_owner = $2 AND state = 'processing'`;

export class PostgresProcessingStore implements ProcessingStore {
  private readonly deliveryListeners = new Set<() => void>();
  private readonly deliveries: ChannelListener;

  constructor(private readonly db: PostgresDatabase) {
    const wake = () => this.deliveryListeners.forEach((l) => l());
    this.deliveries = new ChannelListener(db, inboxChannel(db), wake, { onConnect: wake });
  }

  async claimBatch(
    workerId: string,
    limit: number,
    leaseMs: number,
    now: number,
  ): Promise<readonly ClaimedDelivery[]> {
    try {
      const r = await this.db.pool.query<{ id: number; body: Buffer; received_at: number; attempts: number }>(
        CLAIM,
        [workerId, now + leaseMs, now, limit, CLAIM_BYTES],
      );
      return r.rows
        .sort((a, b) => a.id - b.id)
        .map((d) => ({ id: String(d.id), body: d.body, receivedAt: d.received_at, attempts: d.attempts }));
    } catch (err) {
      throw classify('claim failed', err);
    }
  }

  async commitBatch(result: BatchResult): Promise<CommitOutcome> {
    let client;
    try {
      client = await this.db.pool.connect();
    } catch (err) {
      throw classify('commit failed', err);
    }
    let broken: Error | undefined;
    try {
      return await commitBatch(client, result, eventsChannel(this.db));
    } catch (err) {
      // A connection that failed mid-transaction is discarded, not handed to the next batch.
      if (err instanceof Error && classify('', err) !== err) broken = err;
      throw classify('commit failed', err);
    } finally {
      client.release(broken);
    }
  }

  async releaseLeases(workerId: string, deliveryIds: readonly string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    try {
      await this.db.pool.query(RELEASE, [deliveryIds.map(Number), workerId]);
    } catch (err) {
      throw classify('release failed', err);
    }
  }

  onDeliveries(listener: () => void): () => void {
    this.deliveryListeners.add(listener);
    this.deliveries.start();
    return () => this.deliveryListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.deliveryListeners.clear();
    await this.deliveries.close();
  }
}
