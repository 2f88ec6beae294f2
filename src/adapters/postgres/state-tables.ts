/**
 * The state tables as rules, one place for both halves of a batched upsert: the SQL `ON CONFLICT`
 * clause (row already stored) and the in-memory merge of rows for the same key within one batch
 * (PostgreSQL refuses to update one row twice in one statement). The rules are those of
 * src/adapters/sqlite/apply-state-changes.ts — max/min over ranks and times, values moving with
 * their rank — so merging first and upserting once gives the rows SQLite gets one change at a time.
 */
import { CONTACT_COLUMNS } from '../state-columns.js';

export type Value = string | number | null;
export type Row = Record<string, Value>;

/**
 * - `key`: conflict target. - `rank`: a rank column; it and the columns `lww` to it move together
 *   when a greater rank arrives. - `maxText` / `minNum` / `maxNum`: greatest / earliest / largest
 *   non-null value. - `first`: insert-only rows (errors, history): the stored row is kept.
 */
export type Rule = 'key' | 'rank' | { readonly lww: string } | 'maxText' | 'minNum' | 'maxNum' | 'first';

export interface Column {
  readonly name: string;
  readonly type: 'text' | 'bigint' | 'int';
  readonly rule: Rule;
}

export interface TableSpec {
  readonly table: string;
  readonly columns: readonly Column[];
}

const col = (name: string, type: Column['type'], rule: Rule): Column => ({ name, type, rule });
const key = (name: string, type: Column['type'] = 'text') => col(name, type, 'key');
const group = (rank: string, cols: ReadonlyArray<readonly [string, Column['type']]>): Column[] => [
  ...cols.map(([n, t]) => col(n, t, { lww: rank })),
  col(rank, 'text', 'rank'),
];
const maxText = (...names: string[]) => names.map((n) => col(n, 'text', 'maxText'));
const text = (names: readonly string[]) => names.map((n) => [n, 'text'] as const);

/** In the order every batch touches them: one fixed order means concurrent workers cannot deadlock. */
export const TABLES = {
  contacts: {
    table: 'contacts',
    columns: [
      key('id'),
      ...CONTACT_COLUMNS.flatMap((f) => group(`${f}_rank`, [[f, 'text']])),
      col('last_inbound_at', 'bigint', 'maxNum'),
      ...group('opt_out_rank', text(['opt_out', 'opt_out_source'])),
    ],
  },
  messages: {
    table: 'messages',
    columns: [
      key('phone_number_id'),
      key('wamid'),
      // A status creates the row as 'outbound' with no content rank; message content then wins.
      ...group('content_rank', [
        ...text(['direction', 'type', 'preview', 'media_id', 'media_url', 'media_sha256', 'media_mime_type']),
        ...text(['context_id', 'context_from']),
        ['forwarded', 'int'],
        ['frequently_forwarded', 'int'],
        ['occurred_at', 'bigint'],
      ]),
      ...maxText('contact_wa_id', 'contact_user_id', 'biz_opaque_callback_data'),
      // NULL until a status arrives, as in SQLite (a message upsert leaves status_rank alone).
      col('status_rank', 'int', 'maxNum'),
      ...['sent_at', 'delivered_at', 'read_at', 'played_at', 'failed_at'].map((n) =>
        col(n, 'bigint', 'minNum'),
      ),
      ...group('pricing_rank', [
        ...text(['pricing_category', 'pricing_type', 'pricing_model']),
        ['pricing_billable', 'int'],
      ]),
      ...group('conversation_rank', [
        ...text(['conversation_id', 'conversation_origin']),
        ['conversation_expires_at', 'bigint'],
      ]),
    ],
  },
  message_errors: {
    table: 'message_errors',
    columns: [
      key('event_key'),
      key('idx', 'int'),
      ...['phone_number_id', 'wamid'].map((n) => col(n, 'text', 'first')),
      col('at', 'bigint', 'first'),
      col('code', 'int', 'first'),
      ...['title', 'message', 'details', 'href'].map((n) => col(n, 'text', 'first')),
    ],
  },
  templates: {
    table: 'templates',
    columns: [
      key('template_key'),
      ...maxText('waba_id', 'template_id', 'name', 'language'),
      ...group('status_rank', [...text(['status', 'status_reason']), ['status_at', 'bigint']]),
      ...group('quality_rank', [
        ['quality', 'text'],
        ['quality_at', 'bigint'],
      ]),
      ...group('category_rank', [
        ['category', 'text'],
        ['category_at', 'bigint'],
      ]),
    ],
  },
  template_history: {
    table: 'template_history',
    columns: [
      key('event_key'),
      ...['template_key', 'event_name'].map((n) => col(n, 'text', 'first')),
      col('at', 'bigint', 'first'),
      ...['value', 'detail'].map((n) => col(n, 'text', 'first')),
    ],
  },
  phone_numbers: {
    table: 'phone_numbers',
    columns: [
      key('phone_key'),
      ...maxText('waba_id', 'display_phone_number'),
      ...group('name_rank', text(['name_status', 'requested_name', 'name_rejection_reason'])),
      ...group(
        'quality_rank',
        text(['quality_event', 'current_limit', 'old_limit', 'max_daily_conversations']),
      ),
    ],
  },
  account_state: {
    table: 'account_state',
    columns: [
      key('waba_id'),
      key('aspect'),
      ...group('rank', [
        ['value', 'text'],
        ['at', 'bigint'],
      ]),
    ],
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;

const ARRAY_TYPE = { text: 'text[]', bigint: 'bigint[]', int: 'int[]' } as const;

function setClause(c: Column): string | null {
  const n = c.name;
  const r = c.rule;
  if (r === 'key' || r === 'first') return null;
  // Every SET expression reads the old row (t) — PostgreSQL, like SQLite, evaluates them all
  // before the update — so a value and its rank move together.
  if (r === 'rank' || typeof r === 'object') {
    const rank = r === 'rank' ? n : r.lww;
    return `${n} = CASE WHEN excluded.${rank} > coalesce(t.${rank}, '') THEN excluded.${n} ELSE t.${n} END`;
  }
  if (r === 'maxNum') return `${n} = GREATEST(t.${n}, excluded.${n})`;
  const op = r === 'maxText' ? '>' : '<';
  return `${n} = CASE WHEN t.${n} IS NULL OR excluded.${n} ${op} t.${n} THEN coalesce(excluded.${n}, t.${n}) ELSE t.${n} END`;
}

/** One statement for any number of rows: each column travels as one array parameter. */
export function upsertSql(spec: TableSpec): string {
  const names = spec.columns.map((c) => c.name);
  const arrays = spec.columns.map((c, i) => `$${i + 1}::${ARRAY_TYPE[c.type]}`);
  const keys = spec.columns.filter((c) => c.rule === 'key').map((c) => c.name);
  const sets = spec.columns.map(setClause).filter((s): s is string => s !== null);
  // unnest emits the arrays in order and INSERT … SELECT inserts in that order: rows sorted by
  // key in JS lock in key order in every worker.
  return `INSERT INTO ${spec.table} AS t (${names.join(', ')})
    SELECT * FROM unnest(${arrays.join(', ')})
    ON CONFLICT (${keys.join(', ')}) ${sets.length ? `DO UPDATE SET ${sets.join(',\n')}` : 'DO NOTHING'}`;
}

/** Byte order of the UTF-8 text, as SQLite and COLLATE "C" compare. */
function greater(a: string, b: string): boolean {
  return a !== b && Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;
}

/** Folds `next` into `into` (same key) with the same rules as the ON CONFLICT clause. */
export function mergeRow(spec: TableSpec, into: Row, next: Row): void {
  for (const c of spec.columns) {
    const n = c.name;
    const a = into[n] ?? null;
    const b = next[n] ?? null;
    const r = c.rule;
    if (r === 'rank') {
      if (typeof b === 'string' && (a === null || greater(b, String(a)))) {
        for (const g of spec.columns)
          if (typeof g.rule === 'object' && g.rule.lww === n) into[g.name] = next[g.name] ?? null;
        into[n] = b;
      }
    } else if (r === 'maxText') {
      if (a === null || (b !== null && greater(String(b), String(a)))) into[n] = b ?? a;
    } else if (r === 'minNum') {
      if (a === null || (b !== null && b < a)) into[n] = b ?? a;
    } else if (r === 'maxNum') {
      if (a === null || (b !== null && b > a)) into[n] = b ?? a;
    }
  }
}

/** Column arrays (the statement's parameters) for rows already merged per key and sorted. */
export function columnArrays(spec: TableSpec, rows: readonly Row[]): Value[][] {
  return spec.columns.map((c) => rows.map((r) => r[c.name] ?? null));
}

export function rowKey(spec: TableSpec, row: Row): string {
  return spec.columns
    .filter((c) => c.rule === 'key')
    .map((c) => String(row[c.name]))
    .join('\u0000');
}
