/** Data pieces shared by several events. All camelCase; timestamps are epoch milliseconds or null. */

/** One WhatsApp error object (Meta's docs on the `messages` field and its error object). Build logic on `code` and `details` (Meta's docs on error codes). */
export interface WaErrorInfo {
  /** null when Meta sent no usable code. */
  readonly code: number | null;
  readonly title?: string;
  readonly message?: string;
  readonly details?: string;
  readonly href?: string;
}

/** Why an item became an `unknown` / `message.unknown` / `status.unknown` event. */
export interface UnknownInfo {
  /** Human-readable reason, e.g. `unknown webhook field "tracking_events"`, `messages is not an array`. */
  readonly reason: string;
}
