/**
 * The list's SQL, the same on SQLite and PostgreSQL: a page in keyset order on the
 * conversations_activity index, and the total (migrations sqlite 0012, postgres 0006).
 */
import type { ConversationQuery } from '../ports/conversation-store.js';
import { decodeCursor } from '../core/cursor.js';
import type { Value } from './conversation-rows.js';

type Position = readonly [number, string, string];

function position(cursor: string): Position {
  const [at, pnid, key, ...rest] = decodeCursor(cursor).split('\n');
  if (
    at === undefined ||
    pnid === undefined ||
    key === undefined ||
    rest.length > 0 ||
    !/^\d{1,16}$/.test(at)
  )
    throw new RangeError('invalid cursor');
  return [Number(at), pnid, key];
}

/** One page in keyset order (activity, then number and key), one row more than asked for. */
export function pageQuery(q: ConversationQuery): { sql: string; params: Value[] } {
  const where = ['c.superseded = 0'];
  const params: Value[] = [];
  const arg = (v: Value) => (params.push(v), `$${params.length}`);
  if (q.phoneNumberId !== undefined) where.push(`c.phone_number_id = ${arg(q.phoneNumberId)}`);
  if (q.label !== undefined)
    // A row-value IN: the planner may start from the label's rows (a rare label) instead of
    // testing every conversation.
    where.push(`(c.phone_number_id, c.contact_key) IN
      (SELECT l.phone_number_id, l.contact_key FROM conversation_labels l WHERE l.label = ${arg(q.label)})`);
  if (q.cursor !== undefined) {
    const [at, pnid, key] = position(q.cursor);
    where.push(`(c.last_activity_at < ${arg(at)} OR (c.last_activity_at = ${arg(at)}
      AND (c.phone_number_id > ${arg(pnid)} OR (c.phone_number_id = ${arg(pnid)} AND c.contact_key > ${arg(key)}))))`);
  }
  const sql = `SELECT * FROM conversations c WHERE ${where.join(' AND ')}
    ORDER BY c.last_activity_at DESC, c.phone_number_id, c.contact_key LIMIT ${arg(q.limit + 1)}`;
  return { sql, params };
}

/** Conversations matching the filters. With a label, counted from the label's rows. */
export function totalQuery(q: ConversationQuery): [string, Value[]] {
  const number = q.phoneNumberId === undefined ? [] : [q.phoneNumberId];
  if (q.label === undefined)
    return [
      `SELECT count(*) AS total FROM conversations c WHERE c.superseded = 0${number.length ? ' AND c.phone_number_id = $1' : ''}`,
      number,
    ];
  // CROSS JOIN: SQLite keeps this order, so the count never reads the conversations without the label.
  return [
    `SELECT count(*) AS total FROM conversation_labels l CROSS JOIN conversations c
     WHERE c.phone_number_id = l.phone_number_id AND c.contact_key = l.contact_key
       AND l.label = $1 AND c.superseded = 0${number.length ? ' AND c.phone_number_id = $2' : ''}`,
    [q.label, ...number],
  ];
}
