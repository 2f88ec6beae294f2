/**
 * The Graph API (Cloud API) as Wharf uses it: send a message, read a JSON object, download bytes.
 * Adapter: src/adapters/graph/graph-client.ts (undici), opened by the composition root with
 * WHATSAPP_GRAPH_URL and WHATSAPP_ACCESS_TOKEN. No method throws: every failure is a value.
 */
import type { Readable } from 'node:stream';
import type { MetaError } from '../core/meta-error.js';

/** How a call that got no usable answer ended. */
export type GraphFailure =
  /** Meta answered with an error body (`error.code`, …). */
  | { readonly kind: 'meta_error'; readonly httpStatus: number; readonly error: MetaError }
  /** An answer that is not Graph's JSON (a proxy's 502 page, an empty 500). */
  | { readonly kind: 'http_error'; readonly httpStatus: number; readonly excerpt: string }
  /** No answer within the timeout: Meta may or may not have acted on it. */
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  /** The connection broke after the request left: Meta may or may not have acted on it. */
  | { readonly kind: 'lost'; readonly message: string }
  /** The connection failed before a request was sent (refused, DNS): Meta did not act. */
  | { readonly kind: 'unreachable'; readonly message: string };

export type GraphSendResult =
  | {
      readonly kind: 'accepted';
      readonly httpStatus: number;
      readonly wamid: string;
      /** `contacts[0].wa_id` (phone sends) / `user_id` (BSUID sends), when Meta said. */
      readonly waId: string | null;
      readonly userId: string | null;
      /** `messages[0].message_status` (`accepted`, `held_for_quality_assessment`, …) or null. */
      readonly messageStatus: string | null;
      /** `x-fb-trace-id` of the answer, when present. */
      readonly fbtraceId: string | null;
    }
  | GraphFailure;

export type GraphJsonResult =
  { readonly kind: 'ok'; readonly httpStatus: number; readonly body: unknown } | GraphFailure;

export type GraphDownloadResult =
  | {
      readonly kind: 'ok';
      readonly httpStatus: number;
      readonly contentType: string | null;
      readonly contentLength: number | null;
      readonly body: Readable;
    }
  | GraphFailure;

export interface GraphApi {
  /** `POST /{phone_number_id}/messages` with Meta's message object as the body. */
  sendMessage(phoneNumberId: string, message: Readonly<Record<string, unknown>>): Promise<GraphSendResult>;
  /** `GET {graph url}{path}` (e.g. `/{media-id}`), the answer parsed as JSON. */
  getJson(path: string): Promise<GraphJsonResult>;
  /** `GET` an absolute URL (a media download URL) with the bearer token; the body streams. */
  download(url: string): Promise<GraphDownloadResult>;
  close(): Promise<void>;
}
