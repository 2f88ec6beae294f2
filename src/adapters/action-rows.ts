/**
 * The action store's SQL, shared by SQLite and PostgreSQL (src/ports/action-store.ts): every
 * statement is one atomic INSERT … ON CONFLICT or conditional UPDATE, so two workers, a replay and a
 * duplicate delivery racing for the same wamid or alert key see exactly one winner.
 */
import type {
  ActionStore,
  AlertClaim,
  FallbackClaim,
  FallbackClaimInput,
  FallbackRecord,
  FallbackSettle,
  FallbackSkipInput,
  FallbackState,
} from '../ports/action-store.js';
import type { Row } from './state-views.js';

type Value = string | number | null;

/** Runs SQL written with `$1 … $n` (SQLite binds them as `?`, each used once and in order). */
export interface ActionSql {
  /** Rows of a SELECT or of a statement with RETURNING. */
  rows(sql: string, params: readonly Value[]): Promise<Row[]>;
}

const COLUMNS =
  'wamid, destination_id, event_key, recipient, state, provider_id, reason, attempts, claimed_at, at';

function record(r: Row): FallbackRecord {
  return {
    wamid: String(r['wamid']),
    destinationId: String(r['destination_id']),
    eventKey: (r['event_key'] as string | null) ?? null,
    channel: 'sms',
    to: (r['recipient'] as string | null) ?? null,
    state: r['state'] as FallbackState,
    providerId: (r['provider_id'] as string | null) ?? null,
    reason: (r['reason'] as string | null) ?? null,
    attempts: Number(r['attempts']),
    claimedAt: r['claimed_at'] === null ? null : Number(r['claimed_at']),
    at: Number(r['at']),
  };
}

export class ActionRows implements Omit<ActionStore, 'close'> {
  constructor(private readonly sql: ActionSql) {}

  async fallback(wamid: string): Promise<FallbackRecord | null> {
    const rows = await this.sql.rows(`SELECT ${COLUMNS} FROM sms_fallbacks WHERE wamid = $1`, [wamid]);
    return rows[0] ? record(rows[0]) : null;
  }

  async claimFallback(c: FallbackClaimInput): Promise<FallbackClaim> {
    const inserted = await this.sql.rows(
      `INSERT INTO sms_fallbacks (wamid, destination_id, event_key, recipient, state, attempts, claimed_at, at)
       VALUES ($1, $2, $3, $4, 'sending', 1, $5, $6)
       ON CONFLICT (wamid) DO NOTHING RETURNING ${COLUMNS}`,
      [c.wamid, c.destinationId, c.eventKey, c.to, c.now, c.now],
    );
    if (inserted[0]) return { claimed: true, record: record(inserted[0]) };
    const retried = await this.sql.rows(
      `UPDATE sms_fallbacks SET state = 'sending', attempts = attempts + 1, claimed_at = $1, at = $2,
         event_key = $3, recipient = $4, reason = NULL
       WHERE wamid = $5 AND state = 'retry' RETURNING ${COLUMNS}`,
      [c.now, c.now, c.eventKey, c.to, c.wamid],
    );
    if (retried[0]) return { claimed: true, record: record(retried[0]) };
    const existing = await this.fallback(c.wamid);
    // The row was there a moment ago and records are never deleted while a send may run.
    if (existing === null) throw new Error(`sms fallback of ${c.wamid} vanished while claiming it`);
    return { claimed: false, record: existing };
  }

  async settleFallback(wamid: string, claimedAt: number, o: FallbackSettle): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE sms_fallbacks SET state = $1, provider_id = COALESCE($2, provider_id), reason = $3, at = $4
       WHERE wamid = $5 AND state = 'sending' AND claimed_at = $6 RETURNING wamid`,
      [o.state, o.providerId ?? null, o.reason ?? null, o.at, wamid, claimedAt],
    );
    return rows.length > 0;
  }

  async skipFallback(c: FallbackSkipInput): Promise<FallbackRecord> {
    const inserted = await this.sql.rows(
      `INSERT INTO sms_fallbacks (wamid, destination_id, event_key, recipient, state, reason, attempts, claimed_at, at)
       VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7)
       ON CONFLICT (wamid) DO NOTHING RETURNING ${COLUMNS}`,
      [c.wamid, c.destinationId, c.eventKey, c.to, c.state ?? 'skipped', c.reason, c.now],
    );
    if (inserted[0]) return record(inserted[0]);
    const existing = await this.fallback(c.wamid);
    if (existing === null) throw new Error(`sms fallback of ${c.wamid} vanished while recording a skip`);
    return existing;
  }

  async claimAlert(a: {
    destinationId: string;
    key: string;
    eventKey: string;
    now: number;
    windowMs: number;
  }): Promise<AlertClaim> {
    const rows = await this.sql.rows(
      `INSERT INTO alert_sends (destination_id, alert_key, event_key, sent_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (destination_id, alert_key) DO UPDATE SET event_key = excluded.event_key, sent_at = excluded.sent_at
       WHERE alert_sends.sent_at <= $5 OR alert_sends.event_key = excluded.event_key
       RETURNING sent_at`,
      [a.destinationId, a.key, a.eventKey, a.now, a.now - a.windowMs],
    );
    if (rows.length > 0) return { claimed: true };
    const held = await this.sql.rows(
      'SELECT sent_at FROM alert_sends WHERE destination_id = $1 AND alert_key = $2',
      [a.destinationId, a.key],
    );
    return { claimed: false, sentAt: Number(held[0]?.['sent_at'] ?? a.now) };
  }

  async releaseAlert(destinationId: string, key: string, eventKey: string): Promise<void> {
    await this.sql.rows(
      'DELETE FROM alert_sends WHERE destination_id = $1 AND alert_key = $2 AND event_key = $3 RETURNING alert_key',
      [destinationId, key, eventKey],
    );
  }
}
