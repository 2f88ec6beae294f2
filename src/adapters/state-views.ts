/**
 * Row → view mapping shared by the SQLite and PostgreSQL state queries: both adapters keep the same
 * columns (times as epoch-ms numbers), so the API answers identically whichever one is in use.
 */
import type { ContactView, MessageView } from '../ports/read-store.js';
import { STATUS_RANK } from '../core/status-rank.js';

/**
 * A message row with its media capture (media_files, migrations sqlite 0015 / postgres 0009): the
 * `media_*` columns below are null while the media id was never registered.
 */
export const MESSAGE_FROM = `SELECT m.*, f.state AS media_state, f.size AS media_size, f.error AS media_error
  FROM messages m LEFT JOIN media_files f ON f.media_id = m.media_id`;

export type Row = Record<string, string | number | null>;
export const s = (x: unknown): string | null => (typeof x === 'string' ? x : null);
export const n = (x: unknown): number | null => (typeof x === 'number' ? x : null);
const bool = (x: unknown): boolean | null => (x === null || x === undefined ? null : x === 1);

const RANKED = Object.entries(STATUS_RANK) as Array<[keyof typeof STATUS_RANK, number]>;
const TIMES = ['sent', 'delivered', 'read', 'played', 'failed'] as const;

export function messageView(r: Row, errors: Row[]): MessageView {
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
          ...mediaCapture(r),
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
export function newest(rows: Row[], field: string): { value: string; rank: string } | null {
  let best: { value: string; rank: string } | null = null;
  for (const r of rows) {
    const value = s(r[field]);
    const rank = s(r[`${field}_rank`]);
    if (value !== null && rank !== null && (best === null || rank > best.rank)) best = { value, rank };
  }
  return best;
}

const rankTime = (rank: string) => Number(rank.slice(0, rank.indexOf('|')));

/** Merges the contact rows found for `key` (its own, linked ones, one hop further) by rank. */
export function contactView(key: string, found: ReadonlyMap<string, Row>): ContactView {
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

/** Where the media file stands: stored (served at stored_url), still being fetched (error: the last failure), or given up. */
function mediaCapture(r: Row) {
  const id = s(r['media_id']);
  const stored = r['media_state'] === 'stored' && id !== null;
  return {
    stored,
    storedUrl: stored ? `/api/v1/media/${encodeURIComponent(id)}` : null,
    size: n(r['media_size'] ?? null),
    error: s(r['media_error'] ?? null),
  };
}
