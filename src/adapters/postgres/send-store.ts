/**
 * PostgreSQL send store on the process's pool: one statement per call. The unique idempotency key
 * is taken by `INSERT … ON CONFLICT DO NOTHING`, so of two processes sending with the same key at
 * once exactly one inserts (and calls Meta); the other reads that row.
 */
import type {
  BeginResult,
  GuardFacts,
  GuardQuery,
  NewSend,
  SendFallback,
  SendOutcome,
  SendRecord,
  SendStore,
} from '../../ports/send-store.js';
import type { PostgresDatabase } from './open-database.js';
import { classify } from './storage-error.js';
import {
  FALLBACK_SQL,
  FINISH_SQL,
  LAST_INBOUND_SQL,
  NEW_SEND_COLUMNS,
  TEMPLATE_SQL,
  fallbackJson,
  finishValues,
  languageKey,
  newSendValues,
  numbered,
  toSendRecord,
  type SendRow,
} from '../send-rows.js';

const INSERT = numbered(`INSERT INTO sends (${NEW_SEND_COLUMNS.join(', ')})
  VALUES (${NEW_SEND_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (idempotency_key) DO NOTHING`);
const FINISH = numbered(FINISH_SQL);
const FALLBACK = numbered(FALLBACK_SQL);
const LAST_INBOUND = numbered(LAST_INBOUND_SQL);
const TEMPLATE = numbered(TEMPLATE_SQL.replace('(? IS NULL', '(?::text IS NULL'));

export class PostgresSendStore implements SendStore {
  /** The pool is the process's one pool (open-storage.ts); close() leaves it to its owner. */
  constructor(private readonly db: PostgresDatabase) {}

  private async rows<R>(what: string, sql: string, params: unknown[]): Promise<R[]> {
    try {
      return (await this.db.pool.query(sql, params)).rows as R[];
    } catch (err) {
      throw classify(`send store ${what} failed`, err);
    }
  }

  private async one(what: string, sql: string, params: unknown[]): Promise<SendRecord | null> {
    const [r] = await this.rows<SendRow>(what, sql, params);
    return r === undefined ? null : toSendRecord(r);
  }

  async begin(send: NewSend): Promise<BeginResult> {
    const inserted = await this.rows('begin', `${INSERT} RETURNING id`, newSendValues(send));
    if (inserted.length === 1) return { created: true };
    const existing = await this.getByKey(send.idempotencyKey as string);
    if (existing === null) throw new Error('send store: idempotency key taken but its row is gone');
    return { created: false, existing };
  }

  async finish(id: string, outcome: SendOutcome): Promise<void> {
    await this.rows('finish', FINISH, finishValues(id, outcome));
  }

  get(id: string): Promise<SendRecord | null> {
    return this.one('get', 'SELECT * FROM sends WHERE id = $1', [id]);
  }

  getByWamid(wamid: string, phoneNumberId?: string): Promise<SendRecord | null> {
    return phoneNumberId === undefined
      ? this.one('get', 'SELECT * FROM sends WHERE wamid = $1 ORDER BY created_at DESC LIMIT 1', [wamid])
      : this.one(
          'get',
          'SELECT * FROM sends WHERE wamid = $1 AND phone_number_id = $2 ORDER BY created_at DESC LIMIT 1',
          [wamid, phoneNumberId],
        );
  }

  getByKey(idempotencyKey: string): Promise<SendRecord | null> {
    return this.one('get', 'SELECT * FROM sends WHERE idempotency_key = $1', [idempotencyKey]);
  }

  async setFallback(id: string, fallback: SendFallback): Promise<void> {
    await this.rows('fallback', FALLBACK, [fallbackJson(fallback), id]);
  }

  async guardFacts(q: GuardQuery): Promise<GuardFacts> {
    const [inbound] = await this.rows<{ last_inbound_at: string | null }>('guard', LAST_INBOUND, [
      q.phoneNumberId,
      q.waId === null ? null : `wa:${q.waId}`,
      q.userId,
      q.waId,
      q.userId,
    ]);
    const language = languageKey(q.template?.language ?? null);
    const [t] =
      q.template === null
        ? []
        : await this.rows<{ status: string | null; status_reason: string | null; category: string | null }>(
            'guard',
            TEMPLATE,
            [q.template.name, language, language],
          );
    return {
      lastInboundAt: inbound?.last_inbound_at == null ? null : Number(inbound.last_inbound_at),
      template: t === undefined ? null : { status: t.status, reason: t.status_reason, category: t.category },
    };
  }

  async close(): Promise<void> {
    // The pool belongs to open-storage.ts.
  }
}
