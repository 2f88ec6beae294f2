/**
 * SQLite send store on its own connection: one short statement per call (busy_timeout queues it
 * behind the inbox writer and the processor). The unique idempotency key makes a second caller,
 * in this process or another on the same file, find the first caller's row.
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
import type { Statement } from 'better-sqlite3';
import { openDatabase, type SqliteDatabase } from './open-database.js';
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
  toSendRecord,
  type SendRow,
} from '../send-rows.js';
import { transientSqlite } from './transient-sqlite.js';
import { WriteBatch } from './write-batch.js';

const INSERT = `INSERT INTO sends (${NEW_SEND_COLUMNS.join(', ')}) VALUES (${NEW_SEND_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (idempotency_key) DO NOTHING`;

export class SqliteSendStore implements SendStore {
  private readonly db: SqliteDatabase;
  private readonly statements = new Map<string, Statement>();
  /**
   * Outcomes are written without their own fsync (synchronous=NORMAL; WAL keeps them across a
   * process crash) and made durable by the next record's commit. One lost to a power cut leaves its
   * send `unknown` — never sent again — instead of costing every send a second fsync.
   */
  private readonly outcomes: SqliteDatabase;
  /** Records and outcomes of sends made at once are committed together (write-batch.ts). */
  private readonly begins: WriteBatch<NewSend, BeginResult>;
  private readonly finishes: WriteBatch<{ id: string; outcome: SendOutcome }, void>;

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    this.db = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    const insert = this.db.prepare(INSERT);
    this.outcomes = openDatabase(path, {
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      synchronous: 'NORMAL',
    });
    const finish = this.outcomes.prepare(FINISH_SQL);
    this.begins = new WriteBatch(this.db, (send) => {
      if (insert.run(...newSendValues(send)).changes === 1) return { created: true };
      const existing = this.row('SELECT * FROM sends WHERE idempotency_key = ?', send.idempotencyKey);
      if (existing === null) throw new Error('send store: idempotency key taken but its row is gone');
      return { created: false, existing };
    });
    this.finishes = new WriteBatch(
      this.outcomes,
      ({ id, outcome }) => void finish.run(...finishValues(id, outcome)),
    );
  }

  begin(send: NewSend): Promise<BeginResult> {
    return this.begins.add(send);
  }

  finish(id: string, outcome: SendOutcome): Promise<void> {
    return this.finishes.add({ id, outcome });
  }

  async get(id: string): Promise<SendRecord | null> {
    return transientSqlite('send store', () => this.row('SELECT * FROM sends WHERE id = ?', id));
  }

  async getByWamid(wamid: string, phoneNumberId?: string): Promise<SendRecord | null> {
    return transientSqlite('send store', () =>
      phoneNumberId === undefined
        ? this.row('SELECT * FROM sends WHERE wamid = ? ORDER BY created_at DESC LIMIT 1', wamid)
        : this.row(
            'SELECT * FROM sends WHERE wamid = ? AND phone_number_id = ? ORDER BY created_at DESC LIMIT 1',
            wamid,
            phoneNumberId,
          ),
    );
  }

  async getByKey(idempotencyKey: string): Promise<SendRecord | null> {
    return transientSqlite('send store', () =>
      this.row('SELECT * FROM sends WHERE idempotency_key = ?', idempotencyKey),
    );
  }

  async setFallback(id: string, fallback: SendFallback): Promise<void> {
    transientSqlite('send store', () => this.statement(FALLBACK_SQL).run(fallbackJson(fallback), id));
  }

  async guardFacts(q: GuardQuery): Promise<GuardFacts> {
    return transientSqlite('send store', () => {
      const inbound = this.statement(LAST_INBOUND_SQL).get(
        q.phoneNumberId,
        q.waId === null ? null : `wa:${q.waId}`,
        q.userId,
        q.waId,
        q.userId,
      ) as { last_inbound_at: number | null } | undefined;
      const language = languageKey(q.template?.language ?? null);
      const t =
        q.template === null
          ? undefined
          : (this.statement(TEMPLATE_SQL).get(q.template.name, language, language) as
              { status: string | null; status_reason: string | null; category: string | null } | undefined);
      return {
        lastInboundAt: inbound?.last_inbound_at ?? null,
        template:
          t === undefined ? null : { status: t.status, reason: t.status_reason, category: t.category },
      };
    });
  }

  /** Statements are prepared once: preparing costs more than running these. */
  private statement(sql: string): Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private row(sql: string, ...params: unknown[]): SendRecord | null {
    const r = this.statement(sql).get(...params) as SendRow | undefined;
    return r === undefined ? null : toSendRecord(r);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
    if (this.outcomes.open) this.outcomes.close();
  }
}
