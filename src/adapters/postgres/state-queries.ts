/**
 * Read side of the state tables: one message with its status timeline, one contact merged across
 * its identifiers. The same views as src/adapters/sqlite/state-queries.ts over the same columns
 * (BIGINT read as numbers, see open-database.ts), so both adapters answer the API identically.
 */
import type { PostgresDatabase } from './open-database.js';
import { classify } from './storage-error.js';
import type { ContactView, MessageView } from '../../ports/processing-store.js';
import { STATUS_RANK } from '../../core/status-rank.js';

type Row = Record<string, string | number | null>;
const s = (x: unknown): string | null => (typeof x === 'string' ? x : null);
const n = (x: unknown): number | null => (typeof x === 'number' ? x : null);
const bool = (x: unknown): boolean | null => (x === null || x === undefined ? null : x === 1);

const RANKED = Object.entries(STATUS_RANK) as Array<[keyof typeof STATUS_RANK, number]>;
const TIMES = ['sent', 'delivered', 'read', 'played', 'failed'] as const;

function messageView(r: Row, errors: Row[]): MessageView {
  const statuses = TIMES.flatMap((st) => {
    const at = n(r[`${st}_at`]);
    return at === null ? [] : [{ status: st, at }];
  }).sort((a, b) => a.at - b.at || TIMES.indexOf(a.status) - TIMES.indexOf(b.status));
  const rank = n(r['status_rank']) ?? 0;
  const failed = r['failed_at'] !== null;
  const ranked = RANKED.find(([, v]) => v === rank)?.[0] ?? null;
  const hasMedia = r['media_id'] !== null || r['media_url'] !== null;
  const hasContext = r['context_id'] !== null || r['forwarded'] !== null;
  return {
    wamid: String(r['wamid']),
    phoneNumberId: String(r['phone_number_id']),
    direction: r['direction'] === 'inbound' ? 'inbound' : 'outbound',
    type: s(r['type']),
    status: ranked ?? (failed ? 'failed' : null),
    statuses,
    failed,
    errors: errors.map((e) => ({
      code: n(e['code']),
      title: s(e['title']),
      message: s(e['message']),
      details: s(e['details']),
      href: s(e['href']),
    })),
    pricing:
      r['pricing_rank'] === null
        ? null
        : {
            category: s(r['pricing_category']),
            type: s(r['pricing_type']),
            model: s(r['pricing_model']),
            billable: bool(r['pricing_billable']),
          },
    conversation:
      r['conversation_rank'] === null
        ? null
        : {
            id: s(r['conversation_id']),
            origin: s(r['conversation_origin']),
            expiresAt: n(r['conversation_expires_at']),
          },
    bizOpaqueCallbackData: s(r['biz_opaque_callback_data']),
    preview: s(r['preview']),
    media: hasMedia
      ? {
          id: s(r['media_id']),
          url: s(r['media_url']),
          sha256: s(r['media_sha256']),
          mimeType: s(r['media_mime_type']),
        }
      : null,
    context: hasContext
      ? {
          id: s(r['context_id']),
          from: s(r['context_from']),
          forwarded: r['forwarded'] === 1,
          frequentlyForwarded: r['frequently_forwarded'] === 1,
        }
      : null,
    contact: { waId: s(r['contact_wa_id']), userId: s(r['contact_user_id']) },
    occurredAt: n(r['occurred_at']),
  };
}

/** Newest value of `field` by its rank among the rows. */
function newest(rows: Row[], field: string): { value: string; rank: string } | null {
  let best: { value: string; rank: string } | null = null;
  for (const r of rows) {
    const value = s(r[field]);
    const rank = s(r[`${field}_rank`]);
    if (value !== null && rank !== null && (best === null || rank > best.rank)) best = { value, rank };
  }
  return best;
}

const rankTime = (rank: string) => Number(rank.slice(0, rank.indexOf('|')));

export class StateQueries {
  constructor(private readonly db: PostgresDatabase) {}

  private async rows(sql: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await this.db.pool.query<Row>(sql, params)).rows;
    } catch (err) {
      throw classify('state read failed', err);
    }
  }

  async message(wamid: string, phoneNumberId?: string): Promise<MessageView | null> {
    const [r] =
      phoneNumberId === undefined
        ? await this.rows('SELECT * FROM messages WHERE wamid = $1 ORDER BY phone_number_id LIMIT 1', [wamid])
        : await this.rows('SELECT * FROM messages WHERE wamid = $1 AND phone_number_id = $2', [
            wamid,
            phoneNumberId,
          ]);
    if (r === undefined) return null;
    const errors = await this.rows(
      'SELECT * FROM message_errors WHERE wamid = $1 AND phone_number_id = $2 ORDER BY at NULLS FIRST, event_key, idx',
      [wamid, r['phone_number_id']],
    );
    return messageView(r, errors);
  }

  /**
   * Rows of the identifier itself, of rows linked to it, and one hop further (a BSUID's phone
   * row holds inbound times and opt-outs recorded before the BSUID was known), merged by rank.
   */
  async contact(id: string): Promise<ContactView | null> {
    const key = id.replace(/^\+/, '');
    const found = new Map<string, Row>();
    const load = async (k: string) => {
      const rows = await this.rows(
        'SELECT * FROM contacts WHERE id IN ($1, $2) OR wa_id = $1 OR user_id = $1',
        [k, `wa:${k}`],
      );
      for (const r of rows) found.set(String(r['id']), r);
    };
    await load(key);
    if (found.size === 0) return null;
    for (const r of [...found.values()]) {
      const wa = s(r['wa_id']);
      const user = s(r['user_id']);
      if (wa !== null && wa !== key) await load(wa);
      if (user !== null && user !== key) await load(user);
    }
    const rows = [...found.values()];
    const own = rows.filter((r) => r['id'] === key || r['id'] === `wa:${key}`);
    const optOut = newest(rows, 'opt_out');
    const optRow = optOut && rows.find((r) => r['opt_out_rank'] === optOut.rank);
    const inbound = rows.map((r) => n(r['last_inbound_at'])).filter((x): x is number => x !== null);
    return {
      waId: newest(rows, 'wa_id')?.value ?? null,
      userId: newest(rows, 'user_id')?.value ?? null,
      parentUserId: newest(rows, 'parent_user_id')?.value ?? null,
      username: newest(rows, 'username')?.value ?? null,
      name: newest(rows, 'name')?.value ?? null,
      replacedBy: newest(own, 'replaced_by')?.value ?? null,
      lastInboundAt: inbound.length ? Math.max(...inbound) : null,
      marketingOptOut: optOut
        ? {
            optedOut: optOut.value === 'stop',
            source: s(optRow?.['opt_out_source']) ?? '',
            at: rankTime(optOut.rank),
          }
        : null,
    };
  }
}
