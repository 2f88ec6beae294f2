/**
 * Applies a batch's state change records with one multi-row upsert per state table (no round trip
 * per event): records become rows (the columns src/adapters/sqlite/apply-state-changes.ts binds),
 * rows for one key are merged by the table's rules, then each table is written once, keys sorted.
 * The rules, the statements and the merge all come from the one rule table (../state-rules.ts).
 */
import type { PoolClient } from 'pg';
import type { ContactChange, StateChange, StatusChange } from '../../core/state-change.js';
import {
  STATE_TABLES,
  STATE_WRITES,
  type Row,
  type StateTableName,
  type TableSpec,
  type Value,
} from '../state-rules.js';
import { postgresUpsertSql } from '../state-rule-sql.js';
import { mergeStateRow } from '../merge-state-row.js';
import {
  conversationMessageRow,
  conversationRow,
  supersedeKeys,
  supersededSql,
} from '../conversation-columns.js';
import {
  accountColumns,
  CONTACT_FIELD_OF,
  messageColumns,
  phoneColumns,
  statusColumns,
  templateColumns,
  v,
} from '../state-columns.js';

function contactRow(c: ContactChange): Row {
  const r: Row = { id: c.id, last_inbound_at: v(c.lastInboundAt) };
  for (const [col, field] of Object.entries(CONTACT_FIELD_OF)) {
    const value = c.fields[field];
    r[col] = v(value);
    r[`${col}_rank`] = value === undefined ? null : c.rank;
  }
  r['opt_out'] = v(c.optOut?.value);
  r['opt_out_source'] = v(c.optOut?.source);
  r['opt_out_rank'] = c.optOut ? c.rank : null;
  return r;
}

/** The shared status columns, with the defaults a status gives a new row (a multi-row upsert has no per-statement default). */
function statusRow(s: StatusChange): Row {
  const row: Row = statusColumns(s);
  for (const [column, value] of Object.entries(STATE_WRITES.status.defaults)) row[column] ??= value;
  return row;
}

/** The rows one record writes, by table. */
function rowsOf(change: StateChange): Array<[StateTableName, Row]> {
  switch (change.kind) {
    case 'contact':
      return [['contacts', contactRow(change)]];
    case 'message':
      return [['messages', messageColumns(change)]];
    case 'status':
      return [['messages', statusRow(change)]];
    case 'message_error':
      return [
        [
          'message_errors',
          {
            event_key: change.eventKey,
            idx: change.index,
            phone_number_id: change.phoneNumberId,
            wamid: change.wamid,
            at: change.at,
            code: change.code,
            title: v(change.title),
            message: v(change.message),
            details: v(change.details),
            href: v(change.href),
          },
        ],
      ];
    case 'template': {
      const h = change.history;
      return [
        ['templates', templateColumns(change)],
        [
          'template_history',
          {
            event_key: h.eventKey,
            template_key: change.templateKey,
            event_name: h.eventName,
            at: change.at,
            value: v(h.value),
            detail: v(h.detail),
          },
        ],
      ];
    }
    case 'phone_number':
      return [['phone_numbers', phoneColumns(change)]];
    case 'account':
      return [['account_state', accountColumns(change)]];
    case 'conversation':
      return [
        ['conversations', conversationRow(change)],
        ['conversation_messages', conversationMessageRow(change)],
      ];
  }
}

const SUPERSEDED = supersededSql('postgres');

const SQL = Object.fromEntries(
  Object.entries(STATE_TABLES).map(([name, spec]) => [name, postgresUpsertSql(spec)]),
) as Record<StateTableName, string>;

/** Column arrays (the statement's parameters) for rows already merged per key and sorted. */
function columnArrays(spec: TableSpec, rows: readonly Row[]): Value[][] {
  return spec.columns.map((c) => rows.map((r) => r[c.name] ?? null));
}

function rowKey(spec: TableSpec, row: Row): string {
  return spec.columns
    .filter((c) => c.rule === 'key')
    .map((c) => String(row[c.name]))
    .join('\u0000');
}

/** Writes every record inside the caller's transaction: at most one statement per table. */
export async function applyStateChanges(client: PoolClient, changes: readonly StateChange[]): Promise<void> {
  const byTable = new Map<StateTableName, Map<string, Row>>();
  for (const change of changes)
    for (const [table, row] of rowsOf(change)) {
      const spec: TableSpec = STATE_TABLES[table];
      let rows = byTable.get(table);
      if (!rows) byTable.set(table, (rows = new Map()));
      const k = rowKey(spec, row);
      const seen = rows.get(k);
      if (seen) mergeStateRow(spec, seen, row);
      else rows.set(k, { ...row });
    }
  for (const table of Object.keys(STATE_TABLES) as StateTableName[]) {
    const rows = byTable.get(table);
    if (!rows) continue;
    const sorted = [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    await client.query(SQL[table], columnArrays(STATE_TABLES[table], sorted));
  }
  // After the contacts: which conversation rows an identity change superseded is read from them.
  const keys = supersedeKeys(changes).sort();
  if (keys.length > 0) await client.query(SUPERSEDED, [keys]);
}
