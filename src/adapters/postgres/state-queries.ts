/**
 * Read side of the state tables: one message with its status timeline, one contact merged across
 * its identifiers. The same views as src/adapters/sqlite/state-queries.ts over the same columns
 * (BIGINT read as numbers, see open-database.ts), so both adapters answer the API identically.
 */
import type { PostgresDatabase } from './open-database.js';
import { classify } from './storage-error.js';
import type { ContactView, MessageView } from '../../ports/read-store.js';
import { contactView, MESSAGE_FROM, messageView, s, type Row } from '../state-views.js';

export class StateQueries {
  constructor(private readonly db: PostgresDatabase) {}

  private async rows(sql: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await this.db.pool.query<Row>(sql, params)).rows;
    } catch (err) {
      throw classify('state read failed', err);
    }
  }

  async message(wamid: string, phoneNumberId?: string): Promise<MessageView | null> {
    const [r] =
      phoneNumberId === undefined
        ? await this.rows(`${MESSAGE_FROM} WHERE m.wamid = $1 ORDER BY m.phone_number_id LIMIT 1`, [wamid])
        : await this.rows(`${MESSAGE_FROM} WHERE m.wamid = $1 AND m.phone_number_id = $2`, [
            wamid,
            phoneNumberId,
          ]);
    if (r === undefined) return null;
    const errors = await this.rows(
      'SELECT * FROM message_errors WHERE wamid = $1 AND phone_number_id = $2 ORDER BY at NULLS FIRST, event_key, idx',
      [wamid, r['phone_number_id']],
    );
    return messageView(r, errors);
  }

  /**
   * Rows of the identifier itself, of rows linked to it, and one hop further (a BSUID's phone
   * row holds inbound times and opt-outs recorded before the BSUID was known), merged by rank.
   */
  async contact(id: string): Promise<ContactView | null> {
    const key = id.replace(/^\+/, '');
    const found = new Map<string, Row>();
    const load = async (k: string) => {
      const rows = await this.rows(
        'SELECT * FROM contacts WHERE id IN ($1, $2) OR wa_id = $1 OR user_id = $1',
        [k, `wa:${k}`],
      );
      for (const r of rows) found.set(String(r['id']), r);
    };
    await load(key);
    if (found.size === 0) return null;
    for (const r of [...found.values()]) {
      const wa = s(r['wa_id']);
      const user = s(r['user_id']);
      if (wa !== null && wa !== key) await load(wa);
      if (user !== null && user !== key) await load(user);
    }
    return contactView(key, found);
  }
}
