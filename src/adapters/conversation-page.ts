/**
 * The views of one list page in a fixed number of queries (not a handful per conversation): the
 * page's contacts, counts, annotations and last messages each read once for every row of the page.
 * A row whose person has other keys (a number or BSUID change, a phone seen before its BSUID) is
 * `linked` and read on its own, merged across them like one conversation is.
 */
import type { ConversationView } from '../ports/conversation-store.js';
import { conversationView, messageOf, placeholders, type Row, type SqlRunner } from './conversation-rows.js';
import { contactView, s } from './state-views.js';

const pair = (pnid: unknown, key: unknown) => `${String(pnid)}\u0000${String(key)}`;

async function inList(
  db: SqlRunner,
  sql: (list: string) => string,
  values: readonly string[],
): Promise<Row[]> {
  if (values.length === 0) return [];
  return db.rows(sql(placeholders(1, values.length)), values);
}

export interface PageParts {
  /** Rows whose person has other keys, to be read one by one. */
  readonly linked: ReadonlySet<string>;
  readonly views: ReadonlyMap<string, ConversationView>;
}

export async function pageViews(db: SqlRunner, rows: readonly Row[]): Promise<PageParts> {
  const keys = [...new Set(rows.map((r) => String(r['contact_key'])))];
  const contacts = await inList(db, (l) => `SELECT * FROM contacts WHERE id IN (${l})`, keys);
  const phones = contacts.map((c) => s(c['wa_id'])).filter((w): w is string => w !== null);
  const byId = new Map(contacts.map((c) => [String(c['id']), c]));
  // Other keys of the same people: phone rows of these BSUIDs, ids these keys replaced.
  const others = await inList(
    db,
    (l) => `SELECT contact_key AS k FROM conversations WHERE contact_key IN (${l})`,
    phones.map((w) => `wa:${w}`).filter((k) => !keys.includes(k)),
  );
  const replaced = await inList(
    db,
    // IS NOT NULL: lets SQLite use the partial index contacts_replaced_by.
    (l) => `SELECT replaced_by AS k FROM contacts WHERE replaced_by IN (${l}) AND replaced_by IS NOT NULL`,
    [...keys, ...keys.map((k) => k.replace(/^wa:/, '')), ...phones],
  );
  const linkedPhones = new Set(others.map((r) => String(r['k']).slice(3)));
  const replacedIds = new Set(replaced.map((r) => String(r['k'])));
  const linked = new Set<string>();
  for (const r of rows) {
    const key = String(r['contact_key']);
    const wa = s(byId.get(key)?.['wa_id']);
    if (
      (wa !== null && linkedPhones.has(wa)) ||
      replacedIds.has(key) ||
      replacedIds.has(key.replace(/^wa:/, '')) ||
      (wa !== null && replacedIds.has(wa))
    )
      linked.add(pair(r['phone_number_id'], key));
  }
  // The numbers first: both tables' keys start with phone_number_id.
  const numbers = [...new Set(rows.map((r) => String(r['phone_number_id'])))];
  const byPair = (table: string, select: string, tail = '') =>
    rows.length === 0
      ? Promise.resolve([])
      : db.rows(
          `SELECT ${select} FROM ${table} WHERE phone_number_id IN (${placeholders(1, numbers.length)})
            AND contact_key IN (${placeholders(numbers.length + 1, keys.length)})${tail}`,
          [...numbers, ...keys],
        );
  const counts = await byPair(
    'conversation_messages',
    'phone_number_id, contact_key, direction, count(*) AS count',
    ' GROUP BY phone_number_id, contact_key, direction',
  );
  const notes = await byPair('conversation_annotations', '*');
  const wamids = rows
    .flatMap((r) => [s(r['last_inbound_wamid']), s(r['last_outbound_wamid'])])
    .filter((w): w is string => w !== null);
  const messages = await inList(db, (l) => `SELECT * FROM messages WHERE wamid IN (${l})`, wamids);
  const failed = messages.filter((m) => m['failed_at'] !== null).map((m) => String(m['wamid']));
  const errors = await inList(
    db,
    (l) =>
      `SELECT wamid, phone_number_id, code, title FROM message_errors WHERE wamid IN (${l}) ORDER BY at, event_key, idx`,
    failed,
  );
  const message = (pnid: string, wamid: string | null) => {
    const m = messages.find((x) => x['wamid'] === wamid && x['phone_number_id'] === pnid);
    if (m === undefined) return null;
    return messageOf(
      m,
      errors.filter((e) => e['wamid'] === wamid && e['phone_number_id'] === pnid),
    );
  };
  const views = new Map<string, ConversationView>();
  for (const r of rows) {
    const pnid = String(r['phone_number_id']);
    const key = String(r['contact_key']);
    const id = pair(pnid, key);
    if (linked.has(id)) continue;
    const mine = counts.filter((c) => pair(c['phone_number_id'], c['contact_key']) === id);
    const n = (d: string) => Number(mine.find((c) => c['direction'] === d)?.['count'] ?? 0);
    const own = byId.get(key);
    const c = contactView(key, new Map(own ? [[key, own]] : []));
    views.set(
      id,
      conversationView({
        merged: r,
        current: r,
        contact: { waId: c.waId, userId: c.userId, username: c.username, name: c.name },
        counts: { inbound: n('inbound'), outbound: n('outbound') },
        lastUser: message(pnid, s(r['last_inbound_wamid'])),
        lastBusiness: message(pnid, s(r['last_outbound_wamid'])),
        recent: [],
        annotation: notes.find((a) => pair(a['phone_number_id'], a['contact_key']) === id),
      }),
    );
  }
  return { linked, views };
}
