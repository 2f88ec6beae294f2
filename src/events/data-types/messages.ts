/** Data of inbound-message events (`message.*`) and of message contents inside echoes/history/standby. */
import type { UnknownInfo, WaErrorInfo } from './common.js';

export interface MediaInfo {
  /** Media id: expires 7 days after the webhook (Meta's docs on media). */
  readonly id?: string;
  readonly mimeType?: string;
  readonly sha256?: string;
  readonly url?: string;
  readonly caption?: string;
  readonly filename?: string;
  /** audio: recorded as a voice note. */
  readonly voice?: boolean;
  /** sticker */
  readonly animated?: boolean;
}

export interface SharedContact {
  readonly origin?: string;
  readonly vcard?: string;
  readonly formattedName?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly phones: readonly { readonly phone?: string; readonly waId?: string; readonly type?: string }[];
  readonly emails: readonly { readonly email?: string; readonly type?: string }[];
  readonly birthday?: string;
  readonly company?: string;
  /** Addresses, urls, org and name parts as sent. */
  readonly raw: unknown;
}

export interface OrderItem {
  readonly productRetailerId?: string;
  readonly quantity?: number;
  readonly itemPrice?: number;
  readonly currency?: string;
}

/** Content by kind. `kind` is the message type, or the interactive subtype for interactive messages. */
export interface ContentByKind {
  readonly text: { readonly body: string };
  readonly image: { readonly media: MediaInfo };
  readonly video: { readonly media: MediaInfo };
  readonly audio: { readonly media: MediaInfo };
  readonly document: { readonly media: MediaInfo };
  readonly sticker: { readonly media: MediaInfo };
  readonly location: {
    readonly latitude: number;
    readonly longitude: number;
    readonly name?: string;
    readonly address?: string;
    readonly url?: string;
  };
  readonly contacts: { readonly contacts: readonly SharedContact[] };
  /** Quick-reply tap on a template. */
  readonly button: { readonly text?: string; readonly payload?: string };
  readonly button_reply: { readonly id: string; readonly title?: string };
  readonly list_reply: { readonly id: string; readonly title?: string; readonly description?: string };
  /** Flows (`name: "flow"`) and address messages. `response` is `responseJson` parsed, or null if it is not JSON. */
  readonly nfm_reply: {
    readonly name?: string;
    readonly body?: string;
    readonly responseJson?: string;
    readonly response: unknown;
  };
  readonly call_permission_reply: {
    readonly response?: string;
    readonly expiresAt: number | null;
    readonly responseSource?: string;
    readonly isPermanent?: boolean;
  };
  /** `removed` when the emoji is absent (reaction withdrawn). */
  readonly reaction: { readonly messageId: string; readonly emoji?: string; readonly removed: boolean };
  readonly order: {
    readonly catalogId?: string;
    readonly text?: string;
    readonly items: readonly OrderItem[];
  };
  /** `systemType`: user_changed_number, user_changed_user_id, customer_changed_number (legacy), customer_identity_changed, … */
  readonly system: {
    readonly systemType?: string;
    readonly body?: string;
    /** New phone number (user_changed_number; legacy `new_wa_id`). */
    readonly waId?: string;
    readonly userId?: string;
    readonly parentUserId?: string;
    readonly identity?: string;
  };
  /** `unsupportedType`: poll_creation, edit (edits are temporarily delivered this way), gif, … */
  readonly unsupported: { readonly unsupportedType?: string };
  readonly revoke: { readonly originalMessageId: string };
  readonly edit: { readonly originalMessageId: string; readonly message: MessageContent };
  readonly request_welcome: { readonly welcome: true };
  /** History sync: media without content. */
  readonly media_placeholder: { readonly placeholder: true };
  /** A type or interactive subtype Wharf does not know, or a malformed content object. */
  readonly unknown: UnknownInfo & { readonly type: string };
}

export type MessageKind = keyof ContentByKind;

export type MessageContent = { [K in MessageKind]: { readonly kind: K } & ContentByKind[K] }[MessageKind];

export type ContentOf<K extends MessageKind> = Extract<MessageContent, { readonly kind: K }>;

export interface MessageContext {
  readonly from?: string;
  readonly id?: string;
  readonly forwarded: boolean;
  readonly frequentlyForwarded: boolean;
  readonly referredProduct?: { readonly catalogId?: string; readonly productRetailerId?: string };
  readonly type?: string;
}

/** Click-to-WhatsApp ad referral (Meta's docs on Click-to-WhatsApp referrals). */
export interface Referral {
  readonly sourceUrl?: string;
  readonly sourceId?: string;
  readonly sourceType?: string;
  readonly body?: string;
  readonly headline?: string;
  readonly mediaType?: string;
  readonly imageUrl?: string;
  readonly videoUrl?: string;
  readonly thumbnailUrl?: string;
  readonly ctwaClid?: string;
  readonly welcomeMessageText?: string;
}

/** Keys every inbound message carries besides its content. */
export interface InboundMessageBase {
  /** `messages[].type` verbatim (`interactive` for button/list/nfm/call-permission replies). */
  readonly type: string;
  readonly from?: string;
  readonly fromUserId?: string;
  readonly fromParentUserId?: string;
  /** Set for Groups API group messages. */
  readonly groupId?: string;
  readonly context?: MessageContext;
  readonly referral?: Referral;
  readonly errors: readonly WaErrorInfo[];
  /**
   * The sender's `contacts[].identity_key_hash`, present when the identity change check is on for
   * the business number; pass it back as `recipient_identity_key_hash` when replying (Meta's docs on identity change signals).
   */
  readonly identityKeyHash?: string;
}

export type InboundMessageData<K extends MessageKind> = InboundMessageBase & ContentOf<K>;
