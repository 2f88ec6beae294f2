/**
 * Applies a batch's state change records with one multi-row upsert per state table (no round trip
 * per event): records become rows (the columns src/adapters/sqlite/apply-state-changes.ts binds),
 * rows for one key are merged by the table's rules, then each table is written once, keys sorted.
 */
import type { PoolClient } from 'pg';
import type { ContactChange, StateChange, StatusChange } from '../../core/state-change.js';
import {
  TABLES,
  columnArrays,
  mergeRow,
  rowKey,
  upsertSql,
  type Row,
  type TableName,
} from './state-tables.js';
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

/** The shared status columns plus the defaults a PostgreSQL multi-row upsert needs for a new row. */
function statusRow(s: StatusChange): Row {
  return { ...statusColumns(s), direction: 'outbound', status_rank: s.statusRank ?? 0 };
}

/** The rows one record writes, by table. */
function rowsOf(change: StateChange): Array<[TableName, Row]> {
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
  }
}

const SQL = Object.fromEntries(
  Object.entries(TABLES).map(([name, spec]) => [name, upsertSql(spec)]),
) as Record<TableName, string>;

/** Writes every record inside the caller's transaction: at most one statement per table. */
export async function applyStateChanges(client: PoolClient, changes: Iterable<StateChange>): Promise<void> {
  const byTable = new Map<TableName, Map<string, Row>>();
  for (const change of changes)
    for (const [table, row] of rowsOf(change)) {
      const spec = TABLES[table];
      let rows = byTable.get(table);
      if (!rows) byTable.set(table, (rows = new Map()));
      const k = rowKey(spec, row);
      const seen = rows.get(k);
      if (seen) mergeRow(spec, seen, row);
      else rows.set(k, { ...row });
    }
  for (const table of Object.keys(TABLES) as TableName[]) {
    const rows = byTable.get(table);
    if (!rows) continue;
    const sorted = [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    await client.query(SQL[table], columnArrays(TABLES[table], sorted));
  }
}
