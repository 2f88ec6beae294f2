/**
 * Rows → conversation views, shared by both adapters' conversation stores (same columns, times
 * as epoch-ms numbers), and the identity walk that finds every contact key of one person.
 */
import type { ConversationMessage, ConversationView } from '../ports/conversation-store.js';
import { STATE_TABLES } from './state-rules.js';
import { mergeStateRow } from './merge-state-row.js';
import { n, s, type Row } from './state-views.js';
import { STATUS_RANK } from '../core/status-rank.js';

export type { Row } from './state-views.js';
export type Value = string | number | null;

/** Runs SQL written with `$1 … $n`, each used once and in order (SQLite binds them as `?`). */
export interface SqlRunner {
  rows(sql: string, params: readonly Value[]): Promise<Row[]>;
  /** The statements in one transaction. */
  write(statements: ReadonlyArray<readonly [string, readonly Value[]]>): Promise<void>;
}

/** `$from, $from+1, …` for an IN list of `count` values. */
export const placeholders = (from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

/** Most keys one person can have: identity changes are rare, a loop of bad data must end. */
const MAX_KEYS = 64;

/**
 * Every contact key linked to `id`: its own rows (`id`, `wa:<id>`), the phone and BSUID each row
 * holds, what replaced it and what it replaced, repeated until nothing new is found.
 */
export async function identityKeys(db: SqlRunner, id: string): Promise<{ keys: string[]; contacts: Row[] }> {
  const raw = id.replace(/^\+/, '');
  const keys = new Set([raw, `wa:${raw}`]);
  const contacts = new Map<string, Row>();
  let frontier = [...keys];
  while (frontier.length > 0 && keys.size < MAX_KEYS) {
    const values = [...frontier, ...frontier.map((k) => k.replace(/^wa:/, ''))];
    const rows = await db.rows(
      `SELECT * FROM contacts WHERE id IN (${placeholders(1, frontier.length)})
        OR wa_id IN (${placeholders(frontier.length + 1, frontier.length)})
        OR replaced_by IN (${placeholders(2 * frontier.length + 1, values.length)})`,
      [...frontier, ...frontier.map((k) => k.replace(/^wa:/, '')), ...values],
    );
    const found: string[] = [];
    const add = (k: string | null) => {
      if (k === null || keys.has(k)) return;
      keys.add(k);
      found.push(k);
    };
    for (const r of rows) {
      contacts.set(String(r['id']), r);
      add(String(r['id']));
      const wa = s(r['wa_id']);
      if (wa !== null) add(`wa:${wa}`);
      add(s(r['user_id']));
      const replaced = s(r['replaced_by']);
      if (replaced !== null) {
        add(replaced);
        add(`wa:${replaced}`);
      }
    }
    frontier = found;
  }
  return { keys: [...keys], contacts: [...contacts.values()] };
}

/** One row for the person: the rows of all their keys merged by the state rules. */
export function mergeConversationRows(rows: readonly Row[]): Row {
  const [first, ...rest] = rows;
  const merged: Row = { ...(first as Row) };
  for (const r of rest) mergeStateRow(STATE_TABLES.conversations, merged, r);
  return merged;
}

/** The row the list shows and annotations go to: not superseded, newest activity. */
export function currentRow(rows: readonly Row[]): Row {
  const sorted = [...rows].sort(
    (a, b) =>
      Number(a['superseded']) - Number(b['superseded']) ||
      (n(b['last_activity_at']) ?? 0) - (n(a['last_activity_at']) ?? 0),
  );
  return sorted[0] as Row;
}

const RANKED = Object.entries(STATUS_RANK) as Array<[string, number]>;

/** A `messages` row (joined to a conversation_messages row's wamid, direction and time). */
export function messageOf(r: Row, errors: readonly Row[] = []): ConversationMessage {
  const rank = n(r['status_rank']) ?? 0;
  const failed = r['failed_at'] !== null && r['failed_at'] !== undefined;
  const ranked = RANKED.find(([, v]) => v === rank)?.[0] ?? null;
  const direction = r['direction'] === 'inbound' ? 'inbound' : 'outbound';
  return {
    wamid: String(r['wamid']),
    direction,
    type: s(r['type']),
    text: s(r['preview']),
    mediaId: s(r['media_id']),
    mediaStored: false,
    status: direction === 'inbound' ? null : failed ? 'failed' : ranked,
    failed,
    errors: errors.map((e) => ({ code: n(e['code']), title: s(e['title']) })),
    at: n(r['at']) ?? n(r['occurred_at']) ?? n(r['sent_at']) ?? n(r['failed_at']),
  };
}

export interface ViewParts {
  readonly merged: Row;
  readonly current: Row;
  readonly contact: ConversationView['contact'];
  readonly counts: { inbound: number; outbound: number };
  readonly lastUser: ConversationMessage | null;
  readonly lastBusiness: ConversationMessage | null;
  readonly recent: readonly ConversationMessage[];
  readonly annotation: Row | undefined;
}

export function conversationView(p: ViewParts): ConversationView {
  const m = p.merged;
  const mediaId = s(m['media_id']);
  let labels: string[] = [];
  try {
    const parsed: unknown = JSON.parse(s(p.annotation?.['labels']) ?? '[]');
    if (Array.isArray(parsed)) labels = parsed.filter((l): l is string => typeof l === 'string');
  } catch {
    labels = [];
  }
  return {
    contactKey: String(p.current['contact_key']),
    phoneNumberId: String(p.current['phone_number_id']),
    contact: p.contact,
    firstAt: n(m['first_at']),
    lastActivityAt: n(m['last_activity_at']) ?? 0,
    lastInboundAt: n(m['last_inbound_at']),
    inboundCount: p.counts.inbound,
    outboundCount: p.counts.outbound,
    lastUserMessage: p.lastUser,
    lastBusinessMessage: p.lastBusiness,
    latestMedia:
      mediaId === null
        ? null
        : {
            wamid: String(m['media_wamid']),
            id: mediaId,
            type: s(m['media_type']) ?? 'media',
            stored: false,
          },
    recentMessages: p.recent,
    note: s(p.annotation?.['note']),
    automationNotes: s(p.annotation?.['automation_notes']),
    labels,
  };
}
