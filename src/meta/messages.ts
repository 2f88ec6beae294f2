/** Inbound messages: `field: "messages"`, `value.messages[]` (Meta's docs on inbound messages). */
import type { WireError, WireMessagingValue, WireTimestamp } from './common.js';
import type { WireStatus } from './statuses.js';

export interface WireMedia {
  id?: string;
  mime_type?: string;
  /** base64 in messages webhooks, hex in history/edit examples (Meta's docs on media). */
  sha256?: string;
  /** lookaside.fbsbx.com link, rolled out from 2025-11-12; may be absent. */
  url?: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
  animated?: boolean;
}

/** The `context` object of a reply, a forward or a product inquiry. */
export interface WireContext {
  from?: string;
  id?: string;
  forwarded?: boolean;
  frequently_forwarded?: boolean;
  referred_product?: { catalog_id?: string; product_retailer_id?: string };
  type?: string;
}

/** Click-to-WhatsApp ads. */
export interface WireReferral {
  source_url?: string;
  source_id?: string;
  source_type?: 'ad' | 'post' | (string & {});
  body?: string;
  headline?: string;
  media_type?: 'image' | 'video' | (string & {});
  image_url?: string;
  video_url?: string;
  thumbnail_url?: string;
  ctwa_clid?: string;
  welcome_message?: { text?: string };
}

/** shared contact cards. */
export interface WireSharedContact {
  origin?: 'contact_request' | 'other' | (string & {});
  vcard?: string;
  name?: {
    formatted_name?: string;
    first_name?: string;
    last_name?: string;
    middle_name?: string;
    prefix?: string;
    suffix?: string;
  };
  phones?: { phone?: string; wa_id?: string; type?: string }[];
  emails?: { email?: string; type?: string }[];
  addresses?: {
    street?: string;
    city?: string;
    state?: string;
    zip?: string;
    country?: string;
    country_code?: string;
    type?: string;
  }[];
  org?: { company?: string; department?: string; title?: string };
  urls?: { url?: string; type?: string }[];
  birthday?: string;
}

export interface WireInteractive {
  type?: 'button_reply' | 'list_reply' | 'nfm_reply' | 'call_permission_reply' | (string & {});
  button_reply?: { id?: string; title?: string };
  list_reply?: { id?: string; title?: string; description?: string };
  /** `response_json` is a JSON *string*. */
  nfm_reply?: { name?: string; body?: string; response_json?: string };
  /** `call_permission_reply`: the user's answer to a call permission request. */
  call_permission_reply?: {
    response?: 'accept' | 'reject' | (string & {});
    expiration_timestamp?: WireTimestamp;
    response_source?: 'user_action' | 'automatic' | (string & {});
    is_permanent?: boolean;
  };
}

/** (+ legacy `customer_changed_number` / `customer_identity_changed`). */
export interface WireSystem {
  body?: string;
  type?:
    | 'user_changed_number'
    | 'user_changed_user_id'
    | 'customer_changed_number'
    | 'customer_identity_changed'
    | (string & {});
  wa_id?: string;
  user_id?: string;
  parent_user_id?: string;
  customer?: string;
  new_wa_id?: string;
  identity?: string;
}

export interface WireOrder {
  catalog_id?: string;
  text?: string;
  product_items?: {
    product_retailer_id?: string;
    quantity?: number | string;
    item_price?: number | string;
    currency?: string;
  }[];
}

/** Every content key a message (inbound, echo, history item, edit) may carry, keyed by `type`. */
export interface WireMessageContent {
  type?:
    | 'text'
    | 'image'
    | 'video'
    | 'audio'
    | 'document'
    | 'sticker'
    | 'location'
    | 'contacts'
    | 'interactive'
    | 'button'
    | 'reaction'
    | 'order'
    | 'system'
    | 'unsupported'
    | 'revoke'
    | 'edit'
    | 'request_welcome'
    | 'media_placeholder'
    | 'unknown'
    | (string & {});
  text?: { body?: string };
  image?: WireMedia;
  video?: WireMedia;
  audio?: WireMedia;
  document?: WireMedia;
  sticker?: WireMedia;
  location?: {
    latitude?: number | string;
    longitude?: number | string;
    name?: string;
    address?: string;
    url?: string;
  };
  contacts?: WireSharedContact[];
  interactive?: WireInteractive;
  button?: { text?: string; payload?: string };
  reaction?: { message_id?: string; emoji?: string };
  order?: WireOrder;
  system?: WireSystem;
  unsupported?: { type?: string };
  revoke?: { original_message_id?: string };
  edit?: { original_message_id?: string; message?: WireMessageContent & { context?: WireContext } };
  context?: WireContext;
}

/** Keys every inbound message has, plus its content. */
export interface WireInboundMessage extends WireMessageContent {
  id?: string;
  timestamp?: WireTimestamp;
  from?: string;
  from_user_id?: string;
  from_parent_user_id?: string;
  /** group messages. */
  group_id?: string;
  referral?: WireReferral;
  errors?: WireError[];
  /** Legacy security notification [3P]. */
  identity?: { acknowledged?: boolean; created_timestamp?: WireTimestamp; hash?: string };
}

/** `value` of `field: "messages"`: messages, statuses and value-level errors, possibly mixed. */
export interface WireMessagesValue extends WireMessagingValue {
  messages?: WireInboundMessage[];
  statuses?: WireStatus[];
}
