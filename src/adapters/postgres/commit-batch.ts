/**
 * The processor's one transaction per batch on PostgreSQL, in a fixed number of
 * round trips whatever the batch size: lock the deliveries this worker still leases, insert the
 * events (existing keys change nothing) with their outbox rows in one statement, one upsert per
 * state table, one UPDATE for every delivery's mark, and a NOTIFY that reaches listeners on commit.
 */
import type { PoolClient } from 'pg';
import type {
  BatchResult,
  CommitOutcome,
  CommittedEvent,
  PreparedEvent,
} from '../../ports/processing-store.js';
import type { StateChange } from '../../core/state-change.js';
import { eventColumnValues } from '../state-columns.js';
import { applyStateChanges } from './apply-state-changes.js';
import { isClientTimeout } from './storage-error.js';

const EVENT_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['key', 'text'],
  ['name', 'text'],
  ['field', 'text'],
  ['occurred_at', 'bigint'],
  ['waba_id', 'text'],
  ['phone_number_id', 'text'],
  ['display_phone_number', 'text'],
  ['contact_wa_id', 'text'],
  ['contact_user_id', 'text'],
  ['contact_parent_user_id', 'text'],
  ['contact_username', 'text'],
  ['contact_name', 'text'],
  ['wamid', 'text'],
  ['data', 'text'],
  ['raw', 'text'],
  ['delivery_id', 'bigint'],
];
const N = EVENT_COLUMNS.length;

// Outbox rows are joined to the events this statement actually inserted, so a stored key gets none.
const INSERT_EVENTS = `
  WITH ins AS (
    INSERT INTO events (${EVENT_COLUMNS.map(([c]) => c).join(', ')}, created_at)
    SELECT *, $${N + 1}::bigint FROM unnest(${EVENT_COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})
    ON CONFLICT (key) DO NOTHING
    RETURNING id, key
  ), ob AS (
    INSERT INTO outbox (event_id, target, next_attempt_at, created_at, updated_at)
    SELECT ins.id, x.target, $${N + 1}, $${N + 1}, $${N + 1}
    FROM ins JOIN unnest($${N + 2}::text[], $${N + 3}::text[]) AS x(key, target) ON x.key = ins.key
    ON CONFLICT (event_id, target) DO NOTHING
    RETURNING 1
  )
  SELECT id, key, (SELECT count(*) FROM ob)::int AS outbox_rows FROM ins`;

// Locking our deliveries first also keeps a reclaiming worker (SKIP LOCKED) off them until we commit.
const HELD = `SELECT id FROM deliveries WHERE id = ANY($1::bigint[]) AND state = 'processing'
  AND lease_owner = $2 ORDER BY id FOR UPDATE`;

// processed / invalid are final; a failed attempt is counted and released, and given up on after
// maxAttempts so a poison delivery never blocks the ones behind it (as on SQLite).
const MARK = `UPDATE deliveries AS d SET
    state = CASE WHEN m.kind <> 'failed' THEN m.kind WHEN d.attempts + 1 >= $4 THEN 'invalid' ELSE 'pending' END,
    attempts = d.attempts + CASE WHEN m.kind = 'failed' THEN 1 ELSE 0 END,
    processed_at = CASE WHEN m.kind <> 'failed' OR d.attempts + 1 >= $4 THEN $5::bigint END,
    lease_owner = NULL, lease_until = NULL, error = m.error
  FROM unnest($1::bigint[], $2::text[], $3::text[]) AS m(id, kind, error)
  WHERE d.id = m.id AND d.state = 'processing' AND d.lease_owner = $6`;

/**
 * The commit's place in the event stream, as its last statement (with the NOTIFY): taking the
 * advisory lock first makes seq follow commit order, since the lock is held until COMMIT has made
 * the transaction visible. A reader that sees seq n therefore sees every seq below it, and the
 * stream tails by (seq, id) without skipping a batch that got lower ids but committed later
 * (migrations/postgres/0003_events_commit_order.sql, event-queries.ts).
 *
 * Why this and not the alternatives: it serialises only this statement and the COMMIT (its WAL
 * flush) of batches that stored events, once per batch, with no extra round trip — measured on
 * bench:scale (60,000 events, 1/2/3 workers, shared 2-core host): 8.2–11.4k / 10.5–14.5k /
 * 7.6–13.4k events/s before, 8.5–9.6k / 11.0–12.9k / 7.9–8.3k after, within the run-to-run noise. Tailing by transaction visibility instead (xact_id below the snapshot's xmin)
 * needs no lock, but the xmin is cluster-wide: any long write transaction in any database on the
 * server would hold the stream back. A per-event commit sequence would rewrite every event row.
 */
const COMMIT_SEQ = `WITH l AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext('wharf.event_commits'), hashtext(current_schema()))),
  c AS (INSERT INTO event_commits (xact_id) SELECT pg_current_xact_id() FROM l RETURNING seq)
  SELECT pg_notify($1, $2) FROM c`;

interface Candidate {
  readonly p: PreparedEvent;
  readonly deliveryId: string;
}

const eventValues = (c: Candidate): unknown[] => eventColumnValues(c.p.event, c.deliveryId);

/** Runs the batch in one transaction on `client`; `channel` is told about new events on commit. */
export async function commitBatch(
  client: PoolClient,
  result: BatchResult,
  channel: string,
): Promise<CommitOutcome> {
  const { now } = result;
  const all = [...result.processed, ...result.invalid, ...result.failed].map((d) => Number(d.deliveryId));
  await client.query('BEGIN');
  try {
    const held = new Set(
      (await client.query<{ id: number }>(HELD, [all, result.workerId])).rows.map((r) => String(r.id)),
    );
    // The same item twice in one batch (two deliveries carrying it) is one event.
    const byKey = new Map<string, Candidate>();
    let duplicates = 0;
    for (const d of result.processed) {
      if (!held.has(d.deliveryId)) continue;
      for (const p of d.events) {
        if (byKey.has(p.event.key)) duplicates++;
        else byKey.set(p.event.key, { p, deliveryId: d.deliveryId });
      }
    }
    // Key order: concurrent workers lock shared keys in one order and never deadlock.
    const candidates = [...byKey.values()].sort((a, b) =>
      a.p.event.key < b.p.event.key ? -1 : a.p.event.key > b.p.event.key ? 1 : 0,
    );
    const committed: CommittedEvent[] = [];
    let outboxRows = 0;
    if (candidates.length > 0) {
      const rows = candidates.map(eventValues);
      const columns = EVENT_COLUMNS.map((_, i) => rows.map((r) => r[i]));
      const targets = candidates.flatMap((c) => c.p.targets.map((t) => [c.p.event.key, t] as const));
      const inserted = await client.query<{ id: number; key: string; outbox_rows: number }>(INSERT_EVENTS, [
        ...columns,
        now,
        targets.map(([k]) => k),
        targets.map(([, t]) => t),
      ]);
      const changes: StateChange[] = [];
      for (const r of [...inserted.rows].sort((a, b) => a.id - b.id)) {
        const c = byKey.get(r.key) as Candidate;
        committed.push({ id: String(r.id), event: c.p.event, deliveryId: c.deliveryId });
        changes.push(...c.p.changes);
        outboxRows = r.outbox_rows;
      }
      duplicates += candidates.length - inserted.rows.length;
      await applyStateChanges(client, changes);
    }
    await markDeliveries(client, result, held);
    const last = committed[committed.length - 1];
    if (last !== undefined) await client.query(COMMIT_SEQ, [channel, notice(committed)]);
    await client.query('COMMIT');
    return { committed, duplicates, outboxRows };
  } catch (err) {
    // After a client-side timeout the connection is still busy with the lost statement: a ROLLBACK
    // would queue behind it and time out in turn. The caller discards the connection, and the
    // server rolls the transaction back when it goes.
    if (!isClientTimeout(err)) await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function markDeliveries(client: PoolClient, result: BatchResult, held: Set<string>): Promise<void> {
  const marks = [
    ...result.processed.map((d) => [d.deliveryId, 'processed', null] as const),
    ...result.invalid.map((d) => [d.deliveryId, 'invalid', d.error] as const),
    ...result.failed.map((d) => [d.deliveryId, 'failed', d.error] as const),
  ].filter(([id]) => held.has(id));
  if (marks.length === 0) return;
  await client.query(MARK, [
    marks.map(([id]) => Number(id)),
    marks.map(([, kind]) => kind),
    marks.map(([, , error]) => error),
    result.maxAttempts,
    result.now,
    result.workerId,
  ]);
}

/** NOTIFY payloads are limited to 8000 bytes: past that the wamids are left out (readers also poll). */
function notice(committed: readonly CommittedEvent[]): string {
  const last = committed[committed.length - 1]?.id ?? '0';
  const wamids = [...new Set(committed.flatMap((c) => (c.event.wamid === undefined ? [] : [c.event.wamid])))];
  const full = JSON.stringify({ lastEventId: last, wamids });
  return Buffer.byteLength(full) < 7900 ? full : JSON.stringify({ lastEventId: last, wamids: [] });
}
