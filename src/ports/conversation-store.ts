/**
 * Conversations: one per (phone_number_id, contact), read from the state the
 * processor keeps (migrations/sqlite/0011_conversations.sql), with the notes and labels people
 * attach. Adapters: src/adapters/sqlite/conversation-store.ts and
 * src/adapters/postgres/conversation-store.ts (same names); the behaviour both must have is
 * test/conformance/conversation-store.conformance.ts.
 *
 * A contact is found by phone number (wa_id), BSUID or any earlier identifier: a number change,
 * a BSUID change and a phone seen before its BSUID was known all give one conversation.
 */

export interface ConversationMessage {
  readonly wamid: string;
  readonly direction: 'inbound' | 'outbound';
  readonly type: string | null;
  /** The text, caption or button title kept with the message (null for an outbound message known only by its statuses). */
  readonly text: string | null;
  /** Meta's media id. */
  readonly mediaId: string | null;
  /** Media capture stored the file (served at /api/v1/media/{mediaId}). */
  readonly mediaStored: boolean;
  /** Highest status of an outbound message (`failed` when it failed); null for inbound. */
  readonly status: string | null;
  readonly failed: boolean;
  readonly errors: ReadonlyArray<{ readonly code: number | null; readonly title: string | null }>;
  readonly at: number | null;
}

export interface ConversationView {
  /** The contact key of the conversation's current row (BSUID, else `wa:<digits>`). */
  readonly contactKey: string;
  readonly phoneNumberId: string;
  readonly contact: {
    readonly waId: string | null;
    readonly userId: string | null;
    readonly username: string | null;
    readonly name: string | null;
  };
  readonly firstAt: number | null;
  readonly lastActivityAt: number;
  /** The last inbound user message (the service window runs 24 h from it). */
  readonly lastInboundAt: number | null;
  readonly inboundCount: number;
  readonly outboundCount: number;
  readonly lastUserMessage: ConversationMessage | null;
  readonly lastBusinessMessage: ConversationMessage | null;
  readonly latestMedia: {
    readonly wamid: string;
    readonly id: string;
    readonly type: string;
    /** Media capture stored the file. */
    readonly stored: boolean;
  } | null;
  /** Newest first, at most RECENT_MESSAGES; empty in list pages. */
  readonly recentMessages: readonly ConversationMessage[];
  readonly note: string | null;
  readonly automationNotes: string | null;
  readonly labels: readonly string[];
}

export const RECENT_MESSAGES = 20;

export interface ConversationQuery {
  readonly phoneNumberId?: string;
  readonly label?: string;
  readonly limit: number;
  /** From a previous page's nextCursor; a RangeError when it is not one. */
  readonly cursor?: string;
}

export interface ConversationPage {
  /** Newest activity first. */
  readonly data: readonly ConversationView[];
  readonly nextCursor: string | null;
  /** Conversations matching the filters, all pages together. */
  readonly total: number;
}

/** A PATCH: each given field replaces the stored one; absent fields are kept. */
export interface ConversationAnnotations {
  readonly note?: string | null;
  readonly automationNotes?: string | null;
  readonly labels?: readonly string[];
}

export interface ConversationStore {
  listConversations(query: ConversationQuery): Promise<ConversationPage>;
  /**
   * By wa_id (with or without `+`) or BSUID; `phoneNumberId` when the contact talks to several
   * numbers (else the one with the newest activity). Null when no message joins them.
   */
  getConversation(contactId: string, phoneNumberId?: string): Promise<ConversationView | null>;
  /** Stores the annotations on the conversation's current row; null when there is no conversation. */
  annotateConversation(
    contactId: string,
    phoneNumberId: string | undefined,
    annotations: ConversationAnnotations,
    now: number,
  ): Promise<ConversationView | null>;
  close(): Promise<void>;
}
