/**
 * The conversation store's logic, shared by both adapters through a SqlRunner (plain SQL that runs
 * on SQLite and PostgreSQL alike): the list in keyset order, one conversation merged across the
 * person's contact keys, and annotations written to the conversation's current row.
 */
import type {
  ConversationAnnotations,
  ConversationPage,
  ConversationQuery,
  ConversationStore,
  ConversationView,
} from '../ports/conversation-store.js';
import { RECENT_MESSAGES } from '../ports/conversation-store.js';
import { encodeCursor } from '../core/cursor.js';
import {
  conversationView,
  currentRow,
  identityKeys,
  mergeConversationRows,
  messageOf,
  placeholders,
  type Row,
  type SqlRunner,
  type Value,
} from './conversation-rows.js';
import { contactView, n, s } from './state-views.js';
import { pageViews } from './conversation-page.js';
import { pageQuery, totalQuery } from './conversation-list-sql.js';
import { withStoredMedia } from './conversation-media.js';

export abstract class ConversationReads implements Pick<
  ConversationStore,
  'listConversations' | 'getConversation' | 'annotateConversation'
> {
  constructor(protected readonly db: SqlRunner) {}

  async listConversations(q: ConversationQuery): Promise<ConversationPage> {
    const { sql, params } = pageQuery(q);
    const rows = await this.db.rows(sql, params);
    const [total] = await this.db.rows(...totalQuery(q));
    const page = rows.slice(0, q.limit);
    const { views } = await pageViews(this.db, page);
    const data: ConversationView[] = [];
    for (const r of page) {
      const pnid = String(r['phone_number_id']);
      const key = String(r['contact_key']);
      const view = views.get(`${pnid}\u0000${key}`) ?? (await this.conversation(key, pnid, false));
      if (view !== null) data.push(view);
    }
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > q.limit && last
        ? encodeCursor(
            [n(last['last_activity_at']) ?? 0, last['phone_number_id'], last['contact_key']].join('\n'),
          )
        : null;
    return { data: await withStoredMedia(this.db, data), nextCursor, total: Number(total?.['total'] ?? 0) };
  }

  async getConversation(contactId: string, phoneNumberId?: string): Promise<ConversationView | null> {
    const view = await this.conversation(contactId, phoneNumberId, true);
    return view === null ? null : ((await withStoredMedia(this.db, [view]))[0] ?? null);
  }

  async annotateConversation(
    contactId: string,
    phoneNumberId: string | undefined,
    a: ConversationAnnotations,
    now: number,
  ): Promise<ConversationView | null> {
    const found = await this.conversation(contactId, phoneNumberId, false);
    if (found === null) return null;
    const pnid = found.phoneNumberId;
    const key = found.contactKey;
    const labels = a.labels ?? found.labels;
    const statements: Array<readonly [string, readonly Value[]]> = [
      [
        `INSERT INTO conversation_annotations (phone_number_id, contact_key, note, automation_notes, labels, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (phone_number_id, contact_key) DO UPDATE SET note = excluded.note,
           automation_notes = excluded.automation_notes, labels = excluded.labels, updated_at = excluded.updated_at`,
        [
          pnid,
          key,
          a.note === undefined ? found.note : a.note,
          a.automationNotes === undefined ? found.automationNotes : a.automationNotes,
          JSON.stringify(labels),
          now,
        ],
      ],
      ['DELETE FROM conversation_labels WHERE phone_number_id = $1 AND contact_key = $2', [pnid, key]],
      ...labels.map(
        (label) =>
          [
            'INSERT INTO conversation_labels (label, phone_number_id, contact_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            [label, pnid, key],
          ] as const,
      ),
    ];
    await this.db.write(statements);
    return this.getConversation(key, pnid);
  }

  /** The person's rows for one number, merged; annotations, counts and messages by all their keys. */
  private async conversation(
    contactId: string,
    phoneNumberId: string | undefined,
    withRecent: boolean,
  ): Promise<ConversationView | null> {
    const { keys, contacts } = await identityKeys(this.db, contactId);
    const ks = placeholders(1, keys.length);
    const all = await this.db.rows(`SELECT * FROM conversations WHERE contact_key IN (${ks})`, keys);
    const forNumber =
      phoneNumberId === undefined ? all : all.filter((r) => r['phone_number_id'] === phoneNumberId);
    if (forNumber.length === 0) return null;
    const pnid = String(currentRow(forNumber)['phone_number_id']);
    const rows = forNumber.filter((r) => r['phone_number_id'] === pnid);
    const current = currentRow(rows);
    const merged = mergeConversationRows(rows);
    const inKeys = `phone_number_id = $1 AND contact_key IN (${placeholders(2, keys.length)})`;
    const byKeys = [pnid, ...keys];
    const counts = { inbound: 0, outbound: 0 };
    for (const r of await this.db.rows(
      `SELECT direction, count(DISTINCT wamid) AS count FROM conversation_messages WHERE ${inKeys} GROUP BY direction`,
      byKeys,
    ))
      counts[r['direction'] === 'inbound' ? 'inbound' : 'outbound'] = Number(r['count']);
    const [annotation] = await this.db.rows(
      `SELECT * FROM conversation_annotations WHERE ${inKeys} ORDER BY updated_at DESC LIMIT 1`,
      byKeys,
    );
    const c = contactView(String(current['contact_key']), new Map(contacts.map((r) => [String(r['id']), r])));
    return conversationView({
      merged,
      current,
      contact: { waId: c.waId, userId: c.userId, username: c.username, name: c.name },
      counts,
      lastUser: await this.message(pnid, s(merged['last_inbound_wamid'])),
      lastBusiness: await this.message(pnid, s(merged['last_outbound_wamid'])),
      recent: withRecent ? await this.recent(inKeys, byKeys) : [],
      annotation,
    });
  }

  private async message(pnid: string, wamid: string | null) {
    if (wamid === null) return null;
    const [r] = await this.db.rows('SELECT * FROM messages WHERE wamid = $1 AND phone_number_id = $2', [
      wamid,
      pnid,
    ]);
    if (r === undefined) return null;
    const errors =
      r['failed_at'] === null
        ? []
        : await this.db.rows(
            'SELECT code, title FROM message_errors WHERE wamid = $1 AND phone_number_id = $2 ORDER BY at, event_key, idx',
            [wamid, pnid],
          );
    return messageOf(r, errors);
  }

  /** Newest first; a wamid filed under two keys of the person is listed once. */
  private async recent(inKeys: string, byKeys: readonly Value[]) {
    // The newest rows first, then their messages: joined after the LIMIT, a conversation of
    // thousands of messages costs a sort of its rows (its counts read them all anyway), not a
    // messages lookup for each (SQLite keeps no index by time on conversation_messages: migration 0019).
    const rows = await this.db.rows(
      `SELECT m.*, cm.wamid AS cm_wamid, cm.at AS cm_at, cm.direction AS cm_direction FROM
         (SELECT phone_number_id, wamid, at, direction FROM conversation_messages WHERE ${inKeys}
          ORDER BY at DESC, wamid LIMIT ${2 * RECENT_MESSAGES}) cm
       LEFT JOIN messages m ON m.wamid = cm.wamid AND m.phone_number_id = cm.phone_number_id
       ORDER BY cm.at DESC, cm.wamid`,
      byKeys,
    );
    const seen = new Set<string>();
    const out = [];
    for (const r of rows) {
      const wamid = String(r['cm_wamid']);
      if (seen.has(wamid)) continue;
      seen.add(wamid);
      const row: Row = {
        ...r,
        wamid,
        at: r['cm_at'] ?? null,
        direction: r['direction'] ?? r['cm_direction'] ?? null,
      };
      out.push(messageOf(row));
      if (out.length === RECENT_MESSAGES) break;
    }
    return out;
  }
}
