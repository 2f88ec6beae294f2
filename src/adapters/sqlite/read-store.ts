/**
 * SQLite read store: the API's queries on a connection of their own in the calling thread (WAL lets
 * them run while the inbox writer and the processor commit). Commit notices come from this
 * process's processing store through CommitNotices.
 */
import type {
  ContactListEntry,
  AccountStateView,
  CommitNotice,
  ContactView,
  EventQuery,
  EventPage,
  EventPageQuery,
  MessageView,
  PhoneNumberView,
  ReadStore,
  StatsQuery,
  StatsView,
  StoredEvent,
  TemplateView,
} from '../../ports/read-store.js';
import { STATS_SQL, statsView } from '../stats-sql.js';
import type { Row } from '../state-views.js';
import { contactList } from '../contact-list.js';
import { MANAGEMENT_SQL, accountStateView, phoneNumberView, templateViews } from '../management-views.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { EventQueries, memoryFilter } from './event-queries.js';
import { StateQueries } from './state-queries.js';
import { CommitNotices } from './commit-notices.js';
import { transientSqlite } from './transient-sqlite.js';

export class SqliteReadStore implements ReadStore {
  private readonly db: SqliteDatabase;
  private readonly events: EventQueries;
  private readonly state: StateQueries;

  constructor(
    path: string,
    private readonly notices: CommitNotices = new CommitNotices(),
    options: { busyTimeoutMs?: number } = {},
  ) {
    this.db = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    this.events = new EventQueries(this.db);
    this.state = new StateQueries(this.db);
  }

  async listEvents(query: EventPageQuery): Promise<EventPage> {
    return transientSqlite('read store', () => this.events.page(query));
  }

  /**
   * Events committed by this process a moment ago are taken from its commit notices instead of
   * the events table (rows, their JSON, each delivery parsed again for the raw items: the live
   * stream's read after every commit, on the thread that answers the webhooks): the same events,
   * as the notices give them exactly as read back. Only the part after the recent commits (another
   * process's, or none) is read.
   */
  async eventsAfter(afterId: string, filter: EventQuery, limit: number): Promise<readonly StoredEvent[]> {
    return transientSqlite('read store', () => {
      const after = Number(afterId);
      const match = memoryFilter(filter);
      const recent = match === null || !Number.isSafeInteger(after) ? null : this.notices.recentAfter(after);
      if (match === null || recent === null) return this.events.after(afterId, filter, limit);
      const events: StoredEvent[] = [];
      for (const e of recent.events) {
        if (events.length >= limit) return events;
        if (match(e.event)) events.push(e);
      }
      // Nothing stored after the recent commits (no other writer): no filtered read at all (a name
      // prefix's read scans its whole range of the name index, whatever the id: docs/benchmarks.md).
      if (events.length >= limit || Number(this.events.lastId()) <= recent.through) return events;
      return events.concat(this.events.after(String(recent.through), filter, limit - events.length));
    });
  }

  async lastEventId(): Promise<string> {
    return transientSqlite('read store', () => this.events.lastId());
  }

  async getMessage(wamid: string, phoneNumberId?: string): Promise<MessageView | null> {
    return transientSqlite('read store', () => this.state.message(wamid, phoneNumberId));
  }

  async getContact(id: string): Promise<ContactView | null> {
    return transientSqlite('read store', () => this.state.contact(id));
  }

  async listContacts(): Promise<readonly ContactListEntry[]> {
    return transientSqlite('read store', () => contactList(this.all('SELECT * FROM contacts')));
  }

  async listTemplates(): Promise<readonly TemplateView[]> {
    return transientSqlite('read store', () =>
      templateViews(this.all(MANAGEMENT_SQL.templates), this.all(MANAGEMENT_SQL.templateHistory)),
    );
  }

  async listPhoneNumbers(): Promise<readonly PhoneNumberView[]> {
    return transientSqlite('read store', () => this.all(MANAGEMENT_SQL.phoneNumbers).map(phoneNumberView));
  }

  async accountEvents(): Promise<readonly AccountStateView[]> {
    return transientSqlite('read store', () => this.all(MANAGEMENT_SQL.account).map(accountStateView));
  }

  async stats({ since, bucketMs }: StatsQuery): Promise<StatsView> {
    return transientSqlite('read store', () => {
      const run = (sql: string, ...args: number[]) => this.db.prepare(sql).all(...args) as Row[];
      return statsView(
        run(STATS_SQL.events, bucketMs, bucketMs, since),
        run(STATS_SQL.failures, bucketMs, bucketMs, since),
        run(STATS_SQL.pricing, since),
      );
    });
  }

  private all(sql: string): Row[] {
    return this.db.prepare(sql).all() as Row[];
  }

  onCommit(listener: (notice: CommitNotice) => void): () => void {
    return this.notices.subscribe(listener);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
