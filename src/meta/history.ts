/** Coexistence chat-history sync, `field: "history"` (Meta's docs on `history`). */
import type { WireError, WireMessagingValue } from './common.js';
import type { WireInboundMessage } from './messages.js';
import type { WireEcho } from './echoes.js';

export interface WireHistoryMessage extends WireInboundMessage {
  /** Only for business-sent messages. */
  to?: string;
  /** BSUID of the recipient of a business-sent message (Meta's docs on business-scoped user ids and usernames). */
  to_user_id?: string;
  /** Uppercase, unlike statuses: DELIVERED, ERROR, PENDING, PLAYED, READ, SENT. */
  history_context?: { status?: string };
}

export interface WireHistoryThread {
  /** User phone; may be omitted. */
  id?: string;
  context?: { wa_id?: string; user_id?: string; parent_user_id?: string; username?: string };
  messages?: WireHistoryMessage[];
}

export interface WireHistoryChunk {
  metadata?: { phase?: number | string; chunk_order?: number | string; progress?: number | string };
  threads?: WireHistoryThread[];
  /** Sharing declined: code 2593109. */
  errors?: WireError[];
}

/** Three variants: chunks (`history[]`), media follow-up (`messages[]` / `message_echoes[]`), declined (errors). */
export interface WireHistoryValue extends WireMessagingValue {
  history?: WireHistoryChunk[];
  messages?: WireHistoryMessage[];
  message_echoes?: WireEcho[];
}
