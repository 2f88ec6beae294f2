/**
 * THE commutative state rules (events applied in any order, or twice, give the same rows), written once for both adapters: each
 * state table's columns with the rule that combines a stored value with a new one. Both dialects'
 * upserts are generated from this table (state-rule-sql.ts), and PostgreSQL's in-memory merge of
 * the rows for one key within a batch follows it (merge-state-row.ts). Ranks and times combine with max/min, values
 * move only together with a greater rank, errors and history are keyed rows inserted once, so any
 * order and any batching of the same changes give the same rows.
 */
import { CONTACT_COLUMNS, STATUS_COLUMNS } from './state-columns.js';

export type Value = string | number | null;
export type Row = Record<string, Value>;

/**
 * - `key`: the conflict target. - `rank`: a rank column (text, compared bytewise); it and the
 *   columns that `lww` to it move together when a greater rank arrives. - `maxText` / `minNum` /
 *   `maxNum`: the greatest / earliest / largest non-null value. - `first`: insert-only rows
 *   (errors, history): the stored row is kept.
 */
export type Rule = 'key' | 'rank' | { readonly lww: string } | 'maxText' | 'minNum' | 'maxNum' | 'first';

export interface Column {
  readonly name: string;
  /** PostgreSQL's array type for the column's parameter; SQLite binds values as they are. */
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

const CONTENT = ['direction', 'type', 'preview', 'media_id', 'media_url', 'media_sha256', 'media_mime_type'];
const CONTEXT = ['context_id', 'context_from', 'forwarded', 'frequently_forwarded', 'occurred_at'];

/** In the order every batch touches them: one fixed order means concurrent workers cannot deadlock. */
export const STATE_TABLES = {
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
        ...text(CONTENT),
        ...text(['context_id', 'context_from']),
        ['forwarded', 'int'],
        ['frequently_forwarded', 'int'],
        ['occurred_at', 'bigint'],
      ]),
      ...maxText('contact_wa_id', 'contact_user_id', 'biz_opaque_callback_data'),
      // NULL until a status arrives (a message leaves status_rank alone).
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
  // Conversations (migrations sqlite 0012, postgres 0006): times are max / min, each "last" wamid
  // moves with its rank. `superseded` is not a rule column: the appliers recompute it from contacts.
  conversations: {
    table: 'conversations',
    columns: [
      key('phone_number_id'),
      key('contact_key'),
      col('first_at', 'bigint', 'minNum'),
      col('last_activity_at', 'bigint', 'maxNum'),
      col('last_inbound_at', 'bigint', 'maxNum'),
      ...group('last_inbound_rank', [['last_inbound_wamid', 'text']]),
      ...group('last_outbound_rank', [['last_outbound_wamid', 'text']]),
      ...group('media_rank', text(['media_wamid', 'media_id', 'media_type'])),
    ],
  },
  conversation_messages: {
    table: 'conversation_messages',
    columns: [
      key('phone_number_id'),
      key('contact_key'),
      key('wamid'),
      ...maxText('direction'),
      col('at', 'bigint', 'minNum'),
    ],
  },
} as const satisfies Record<string, TableSpec>;

export type StateTableName = keyof typeof STATE_TABLES;

/** What one kind of state change writes: some columns of one table. */
export interface StateWrite {
  readonly table: TableSpec;
  /** The columns it binds, in binding order (the table's own order when not given). */
  readonly columns?: readonly string[];
  /** Values a new row takes where the change gives none (a status creates an outbound message). */
  readonly defaults?: Readonly<Record<string, string | number>>;
}

/**
 * Each kind of change and the columns it writes. SQLite runs one statement per write, one change at
 * a time; PostgreSQL merges the rows of a batch per table first and writes each table once.
 */
export const STATE_WRITES = {
  contact: { table: STATE_TABLES.contacts },
  message: {
    table: STATE_TABLES.messages,
    columns: [
      'phone_number_id',
      'wamid',
      ...CONTENT,
      ...CONTEXT,
      'content_rank',
      'contact_wa_id',
      'contact_user_id',
    ],
  },
  // Statuses are most of the traffic: their values are bound positionally, in STATUS_COLUMNS order.
  status: {
    table: STATE_TABLES.messages,
    columns: STATUS_COLUMNS,
    defaults: { direction: 'outbound', status_rank: 0 },
  },
  messageError: { table: STATE_TABLES.message_errors },
  template: { table: STATE_TABLES.templates },
  templateHistory: { table: STATE_TABLES.template_history },
  phoneNumber: { table: STATE_TABLES.phone_numbers },
  account: { table: STATE_TABLES.account_state },
  conversation: { table: STATE_TABLES.conversations },
  conversationMessage: { table: STATE_TABLES.conversation_messages },
} as const satisfies Record<string, StateWrite>;

export type StateWriteName = keyof typeof STATE_WRITES;

/** The columns a write binds, each with its rule. Throws when a value would move without its rank. */
export function writeColumns(write: StateWrite): readonly Column[] {
  const spec = write.table;
  const names = write.columns ?? spec.columns.map((c) => c.name);
  const columns = names.map((name) => {
    const column = spec.columns.find((c) => c.name === name);
    if (!column) throw new Error(`${spec.table} has no state column ${name}`);
    return column;
  });
  for (const c of spec.columns) {
    const rank = c.rule === 'rank' ? c.name : typeof c.rule === 'object' ? c.rule.lww : null;
    if (rank !== null && names.includes(c.name) !== names.includes(rank))
      throw new Error(`${spec.table}: ${c.name} and its rank ${rank} must be written together`);
    if (c.rule === 'key' && !names.includes(c.name))
      throw new Error(`${spec.table}: a write needs the key column ${c.name}`);
  }
  return columns;
}
