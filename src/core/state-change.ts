/**
 * State change records: what one event means for the state tables. Each record is applied with
 * commutative, idempotent rules (max over ranks and times, "newest rank wins"), so records from any
 * number of events can be applied in any order, or twice, and give the same rows.
 */

/**
 * A total order over observations: zero-padded epoch ms, then the event key as the tie-break
 * (keys are unique), compared as text. Null times sort first so any timed observation wins.
 */
export function rankOf(at: number | null, key: string): string {
  return `${String(Math.max(0, Math.trunc(at ?? 0))).padStart(15, '0')}|${key}`;
}

export type ContactField = 'waId' | 'userId' | 'parentUserId' | 'username' | 'name' | 'replacedBy';

/** One identifier's row: `id` is the BSUID when known, else `wa:<digits>`. */
export interface ContactChange {
  readonly kind: 'contact';
  readonly id: string;
  readonly rank: string;
  readonly fields: Readonly<Partial<Record<ContactField, string>>>;
  /** An inbound user message or call at this time (opens the service window). */
  readonly lastInboundAt?: number;
  readonly optOut?: { readonly value: 'stop' | 'resume'; readonly source: string };
}

export interface MessageSummary {
  readonly direction: 'inbound' | 'outbound';
  readonly type?: string;
  readonly preview?: string;
  readonly mediaId?: string;
  readonly mediaUrl?: string;
  readonly mediaSha256?: string;
  readonly mediaMimeType?: string;
  readonly contextId?: string;
  readonly contextFrom?: string;
  readonly forwarded?: boolean;
  readonly frequentlyForwarded?: boolean;
}

/** The message itself (inbound, echo or history item): content columns move together, by rank. */
export interface MessageChange {
  readonly kind: 'message';
  readonly phoneNumberId: string;
  readonly wamid: string;
  /** Source priority (inbound 3 > echo 2 > history 1) then time then key. */
  readonly rank: string;
  readonly occurredAt: number | null;
  readonly content: MessageSummary;
  readonly contactWaId?: string;
  readonly contactUserId?: string;
}

export type KnownStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

/** One status of an outbound message. */
export interface StatusChange {
  readonly kind: 'status';
  readonly phoneNumberId: string;
  readonly wamid: string;
  readonly status: KnownStatus;
  /** sent 1 … played 4; null for failed (kept beside the rank, Meta's docs on ordering). */
  readonly statusRank: number | null;
  readonly at: number | null;
  readonly rank: string;
  readonly pricing?: {
    readonly category?: string;
    readonly type?: string;
    readonly model?: string;
    readonly billable?: boolean;
  };
  readonly conversation?: {
    readonly id?: string;
    readonly origin?: string;
    readonly expiresAt: number | null;
  };
  readonly bizOpaqueCallbackData?: string;
  readonly contactWaId?: string;
  readonly contactUserId?: string;
}

export interface MessageErrorChange {
  readonly kind: 'message_error';
  readonly phoneNumberId: string;
  readonly wamid: string;
  readonly eventKey: string;
  readonly index: number;
  readonly at: number | null;
  readonly code: number | null;
  readonly title?: string;
  readonly message?: string;
  readonly details?: string;
  readonly href?: string;
}

export interface TemplateChange {
  readonly kind: 'template';
  readonly templateKey: string;
  readonly wabaId: string;
  readonly templateId?: string;
  readonly name?: string;
  readonly language?: string;
  readonly at: number | null;
  readonly rank: string;
  readonly status?: { readonly value: string; readonly reason?: string };
  readonly quality?: string;
  readonly category?: string;
  /** One history row per template event. */
  readonly history: {
    readonly eventKey: string;
    readonly eventName: string;
    readonly value?: string;
    readonly detail?: string;
  };
}

export interface PhoneNumberChange {
  readonly kind: 'phone_number';
  readonly phoneKey: string;
  readonly wabaId: string;
  readonly displayPhoneNumber?: string;
  readonly rank: string;
  readonly name?: {
    readonly status?: string;
    readonly requested?: string;
    readonly rejectionReason?: string;
  };
  readonly quality?: {
    readonly event?: string;
    readonly currentLimit?: string;
    readonly oldLimit?: string;
    readonly maxDailyConversations?: string;
  };
}

export interface AccountChange {
  readonly kind: 'account';
  readonly wabaId: string;
  /** Event name, plus its sub-type where it has one (`account.update:ACCOUNT_RESTRICTION`). */
  readonly aspect: string;
  readonly at: number | null;
  readonly rank: string;
  readonly value: unknown;
}

/**
 * One message of a conversation, keyed by (phone_number_id, contact key): the
 * conversation's times, its last inbound / outbound message and latest media, and the message's
 * place in the conversation's list. Texts and statuses stay in `messages`.
 */
export interface ConversationChange {
  readonly kind: 'conversation';
  readonly phoneNumberId: string;
  /** contactKey() of the event's contact: the BSUID when known, else `wa:<digits>`. */
  readonly contactKey: string;
  readonly wamid: string;
  readonly direction: 'inbound' | 'outbound';
  readonly at: number | null;
  /** rankOf(at, key) of the event: which message is the conversation's last. */
  readonly rank: string;
  /** This event makes the message the last inbound / outbound one if its rank is the greatest. */
  readonly last?: 'inbound' | 'outbound';
  /** An inbound message at `at` (the service window runs from it). */
  readonly opensWindow?: boolean;
  readonly media?: { readonly id: string; readonly type: string };
}

export type StateChange =
  | ConversationChange
  | ContactChange
  | MessageChange
  | StatusChange
  | MessageErrorChange
  | TemplateChange
  | PhoneNumberChange
  | AccountChange;
