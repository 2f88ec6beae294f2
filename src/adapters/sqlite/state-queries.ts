/** Read side of the state tables: one message with its status timeline, one contact merged across its identifiers. */
import type { SqliteDatabase } from './open-database.js';
import type { ContactView, MessageView } from '../../ports/read-store.js';
import { contactView, MESSAGE_FROM, messageView, s, type Row } from '../state-views.js';

export class StateQueries {
  private readonly byWamid;
  private readonly messageIn;
  private readonly errors;
  private readonly contacts;
  constructor(db: SqliteDatabase) {
    this.byWamid = db.prepare(`${MESSAGE_FROM} WHERE m.wamid = ? ORDER BY m.phone_number_id LIMIT 1`);
    this.messageIn = db.prepare(`${MESSAGE_FROM} WHERE m.wamid = ? AND m.phone_number_id = ?`);
    this.errors = db.prepare(
      'SELECT * FROM message_errors WHERE wamid = ? AND phone_number_id = ? ORDER BY at, event_key, idx',
    );
    this.contacts = db.prepare('SELECT * FROM contacts WHERE id IN (?, ?) OR wa_id = ? OR user_id = ?');
  }

  message(wamid: string, phoneNumberId?: string): MessageView | null {
    const r = (
      phoneNumberId === undefined ? this.byWamid.get(wamid) : this.messageIn.get(wamid, phoneNumberId)
    ) as Row | undefined;
    if (r === undefined) return null;
    return messageView(r, this.errors.all(wamid, r['phone_number_id']) as Row[]);
  }

  /**
   * Rows of the identifier itself, of rows linked to it, and one hop further (a BSUID's phone
   * row holds inbound times and opt-outs recorded before the BSUID was known), merged by rank.
   */
  contact(id: string): ContactView | null {
    const key = id.replace(/^\+/, '');
    const found = new Map<string, Row>();
    const load = (k: string) => {
      for (const r of this.contacts.all(k, `wa:${k}`, k, k) as Row[]) found.set(String(r['id']), r);
    };
    load(key);
    if (found.size === 0) return null;
    for (const r of [...found.values()]) {
      const wa = s(r['wa_id']);
      const user = s(r['user_id']);
      if (wa !== null && wa !== key) load(wa);
      if (user !== null && user !== key) load(user);
    }
    return contactView(key, found);
  }
}
