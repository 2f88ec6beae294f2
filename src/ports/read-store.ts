/**
 * The read port: what the API reads from the state the processor wrote (events, messages, contacts,
 * templates, phone numbers, account state, the stream's tail) and the hint that new events were committed. Kept apart from the write port
 * (processing-store.ts) so an API-only process opens no claim or commit machinery, and adapters do
 * not pass reads through their writers. Adapters: src/adapters/sqlite/read-store.ts and
 * src/adapters/postgres/read-store.ts (same file names); conformance in
 * test/conformance/processing-store.conformance.ts, which writes through one port and reads
 * through the other. Deliveries are read through the inbox port (inbox.ts).
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';

/** An event as the API shows it. */
export interface StoredEvent {
  readonly id: string;
  readonly event: AnyWharfEvent;
}

export interface EventQuery {
  /** Exact name, or a prefix ending with a dot (`status.`). */
  readonly name?: string;
  readonly phoneNumberId?: string;
  /** wa_id or BSUID. */
  readonly contact?: string;
  readonly wamid?: string;
  /** occurred_at ≥ since (epoch ms). */
  readonly since?: number;
}

export interface EventPageQuery extends EventQuery {
  readonly limit: number;
  readonly cursor?: string;
}

export interface EventPage {
  /** Newest (most recently recorded) first. */
  readonly data: readonly StoredEvent[];
  readonly nextCursor: string | null;
}

export interface MessageView {
  readonly wamid: string;
  readonly phoneNumberId: string;
  readonly direction: 'inbound' | 'outbound';
  readonly type: string | null;
  /** Highest status by rank; `failed` only when nothing ranked was seen; null for inbound messages. */
  readonly status: string | null;
  readonly statuses: ReadonlyArray<{ readonly status: string; readonly at: number }>;
  readonly failed: boolean;
  readonly errors: ReadonlyArray<{
    readonly code: number | null;
    readonly title: string | null;
    readonly message: string | null;
    readonly details: string | null;
    readonly href: string | null;
  }>;
  readonly pricing: {
    readonly category: string | null;
    readonly type: string | null;
    readonly model: string | null;
    readonly billable: boolean | null;
  } | null;
  readonly conversation: {
    readonly id: string | null;
    readonly origin: string | null;
    readonly expiresAt: number | null;
  } | null;
  readonly bizOpaqueCallbackData: string | null;
  readonly preview: string | null;
  readonly media: {
    readonly id: string | null;
    readonly url: string | null;
    readonly sha256: string | null;
    readonly mimeType: string | null;
    /** The file is kept by Wharf (media capture, docs/sending.md) and served at `storedUrl`. */
    readonly stored: boolean;
    /** `/api/v1/media/{media id}` once stored. */
    readonly storedUrl: string | null;
    /** Bytes stored. */
    readonly size: number | null;
    /** The last download failure (while retrying, or why it was given up). */
    readonly error: string | null;
  } | null;
  readonly context: {
    readonly id: string | null;
    readonly from: string | null;
    readonly forwarded: boolean;
    readonly frequentlyForwarded: boolean;
  } | null;
  readonly contact: { readonly waId: string | null; readonly userId: string | null };
  readonly occurredAt: number | null;
}

export interface ContactView {
  readonly waId: string | null;
  readonly userId: string | null;
  readonly parentUserId: string | null;
  readonly username: string | null;
  readonly name: string | null;
  /** The phone number or BSUID that replaced the one asked for (number / BSUID change). */
  readonly replacedBy: string | null;
  readonly lastInboundAt: number | null;
  readonly marketingOptOut: {
    readonly optedOut: boolean;
    readonly source: string;
    readonly at: number;
  } | null;
}

/** A contact in the list: merged across its identifiers, with the time of the latest thing known about it. */
export interface ContactListEntry extends ContactView {
  /** The phone number (wa_id), else the BSUID. */
  readonly id: string;
  /** Latest inbound message, opt-out or identity/name change (epoch ms). */
  readonly lastActivityAt: number | null;
}

/** Hint that events were committed; listeners re-read what they need (works across processes with a timer). */
export interface CommitNotice {
  readonly lastEventId: string;
  readonly wamids: readonly string[];
  /**
   * The commit's events themselves, in id order, exactly as eventsAfter would read them back: only
   * where the notice comes from this process's own commit (SQLite). Absent for notices that cross
   * processes (PostgreSQL's NOTIFY). A stream may send these instead of reading them back only when
   * their first id follows the last it sent: ids between belong to a commit it was not told of.
   */
  readonly events?: readonly StoredEvent[];
}

/** A message template's latest state: each facet keeps the newest event by time (design: commutative state). */
export interface TemplateView {
  /** Meta's template id; null when events named the template only by name and language. */
  readonly templateId: string | null;
  readonly wabaId: string | null;
  readonly name: string | null;
  readonly language: string | null;
  readonly status: {
    readonly value: string | null;
    readonly reason: string | null;
    readonly at: number | null;
  } | null;
  readonly quality: { readonly value: string | null; readonly at: number | null } | null;
  readonly category: { readonly value: string | null; readonly at: number | null } | null;
  /** Every event about the template (status, quality, category, components …), newest first. */
  readonly history: ReadonlyArray<{
    readonly event: string;
    readonly at: number | null;
    readonly value: string | null;
    readonly detail: string | null;
  }>;
}

/** A business phone number's latest name decision and quality / messaging limit. */
export interface PhoneNumberView {
  /** Null when Meta's events named the number only by its display number. */
  readonly phoneNumberId: string | null;
  readonly wabaId: string | null;
  readonly displayPhoneNumber: string | null;
  readonly name: {
    readonly status: string | null;
    readonly requested: string | null;
    readonly rejectionReason: string | null;
  } | null;
  readonly quality: {
    readonly event: string | null;
    readonly currentLimit: string | null;
    readonly oldLimit: string | null;
    readonly maxDailyConversations: string | null;
  } | null;
}

/**
 * The newest account-level event of each aspect (restrictions, violations, bans, reviews,
 * capability changes …): the event name, plus the sub-type where one name carries independent facts.
 */
export interface AccountStateView {
  readonly wabaId: string;
  /** e.g. `account.update:ACCOUNT_VIOLATION`, `account.review`. */
  readonly aspect: string;
  readonly at: number | null;
  /** The event's data, as in its `data` field. */
  readonly data: unknown;
}

/** Counts for the dashboard's charts: one bucket is `bucketMs` wide, starting at a multiple of it. */
export interface StatsQuery {
  /** occurred_at ≥ since (epoch ms). */
  readonly since: number;
  readonly bucketMs: number;
}

export interface StatsView {
  /** Events by name per bucket (occurred_at; events without a time are left out). */
  readonly events: ReadonlyArray<{ readonly bucket: number; readonly name: string; readonly count: number }>;
  /** Errors of failed messages by code per bucket (one count per error of a failed status). */
  readonly failures: ReadonlyArray<{
    readonly bucket: number;
    readonly code: number | null;
    readonly count: number;
  }>;
  /** Messages by pricing category and billable flag, sent (or first seen) since `since`. */
  readonly pricing: ReadonlyArray<{
    readonly category: string | null;
    readonly billable: boolean | null;
    readonly count: number;
  }>;
}

export interface ReadStore {
  listEvents(query: EventPageQuery): Promise<EventPage>;
  /** Oldest first, ids greater than `afterId` (SSE tail). */
  eventsAfter(afterId: string, filter: EventQuery, limit: number): Promise<readonly StoredEvent[]>;
  lastEventId(): Promise<string>;
  getMessage(wamid: string, phoneNumberId?: string): Promise<MessageView | null>;
  /** By phone number (wa_id) or BSUID. */
  getContact(id: string): Promise<ContactView | null>;
  /** Every contact, merged across its identifiers, newest activity first. */
  listContacts(): Promise<readonly ContactListEntry[]>;
  /** Every template, by name and language. */
  listTemplates(): Promise<readonly TemplateView[]>;
  /** Every business phone number Meta sent an event about. */
  listPhoneNumbers(): Promise<readonly PhoneNumberView[]>;
  /** The newest event of each account aspect, newest first. */
  accountEvents(): Promise<readonly AccountStateView[]>;
  /** Time-bucketed counts for charts (events by name, failures by error code) and pricing totals. */
  stats(query: StatsQuery): Promise<StatsView>;
  /**
   * Notices after each commit (SQLite: commits of this process; PostgreSQL: of every process, by
   * NOTIFY); returns the unsubscribe function.
   */
  onCommit(listener: (notice: CommitNotice) => void): () => void;
  close(): Promise<void>;
}
