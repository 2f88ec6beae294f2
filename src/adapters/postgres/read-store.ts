/**
 * PostgreSQL read store: the API's queries on the process's shared pool, and commit notices from
 * every process by LISTEN on the events channel (commit-batch.ts sends NOTIFY in the commit).
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
import { STATS_SQL, numbered, statsView } from '../stats-sql.js';
import type { Row } from '../state-views.js';
import { contactList } from '../contact-list.js';
import { MANAGEMENT_SQL, accountStateView, phoneNumberView, templateViews } from '../management-views.js';
import { classify } from './storage-error.js';
import type { PostgresDatabase } from './open-database.js';
import { EventQueries } from './event-queries.js';
import { StateQueries } from './state-queries.js';
import { ChannelListener } from './listen-channel.js';

/** NOTIFY channel for committed events; per schema, like the inbox channel. */
export function eventsChannel(db: PostgresDatabase): string {
  return db.schema === undefined ? 'wharf_events' : `wharf_events_${db.schema}`;
}

export class PostgresReadStore implements ReadStore {
  private readonly events: EventQueries;
  private readonly state: StateQueries;
  private readonly listeners = new Set<(n: CommitNotice) => void>();
  private readonly commits: ChannelListener;
  private readonly db: PostgresDatabase;

  /** The pool belongs to the caller (open-storage.ts): close() stops listening but does not end it. */
  constructor(db: PostgresDatabase) {
    this.db = db;
    this.events = new EventQueries(db);
    this.state = new StateQueries(db);
    this.commits = new ChannelListener(db, eventsChannel(db), (payload) => this.noticed(payload));
  }

  listEvents(query: EventPageQuery): Promise<EventPage> {
    return this.events.page(query);
  }

  eventsAfter(afterId: string, filter: EventQuery, limit: number): Promise<readonly StoredEvent[]> {
    return this.events.after(afterId, filter, limit);
  }

  lastEventId(): Promise<string> {
    return this.events.lastId();
  }

  getMessage(wamid: string, phoneNumberId?: string): Promise<MessageView | null> {
    return this.state.message(wamid, phoneNumberId);
  }

  getContact(id: string): Promise<ContactView | null> {
    return this.state.contact(id);
  }

  async listContacts(): Promise<readonly ContactListEntry[]> {
    return contactList(await this.all('SELECT * FROM contacts'));
  }

  async listTemplates(): Promise<readonly TemplateView[]> {
    const [templates, history] = await Promise.all([
      this.all(MANAGEMENT_SQL.templates),
      this.all(MANAGEMENT_SQL.templateHistory),
    ]);
    return templateViews(templates, history);
  }

  async listPhoneNumbers(): Promise<readonly PhoneNumberView[]> {
    return (await this.all(MANAGEMENT_SQL.phoneNumbers)).map(phoneNumberView);
  }

  async accountEvents(): Promise<readonly AccountStateView[]> {
    return (await this.all(MANAGEMENT_SQL.account)).map(accountStateView);
  }

  async stats({ since, bucketMs }: StatsQuery): Promise<StatsView> {
    const [events, failures, pricing] = await Promise.all([
      this.all(numbered(STATS_SQL.events), [bucketMs, bucketMs, since]),
      this.all(numbered(STATS_SQL.failures), [bucketMs, bucketMs, since]),
      this.all(numbered(STATS_SQL.pricing), [since]),
    ]);
    return statsView(events, failures, pricing);
  }

  private async all(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.db.pool.query<Row>(sql, params)).rows;
    } catch (err) {
      throw classify('state read failed', err);
    }
  }

  onCommit(listener: (notice: CommitNotice) => void): () => void {
    this.listeners.add(listener);
    this.commits.start();
    return () => this.listeners.delete(listener);
  }

  private noticed(payload: string): void {
    let notice: CommitNotice;
    try {
      notice = JSON.parse(payload) as CommitNotice;
    } catch {
      return;
    }
    for (const listener of this.listeners) listener(notice);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.commits.close();
  }
}
