/** Package root. Keep additions additive: several parts of Wharf export from here. */

// Event model: parse, normalize, the one list of event names, typed data, router, error policy.
export { parseDelivery } from './core/parse-delivery.js';
export type {
  DeliveryEnvelope,
  InvalidDelivery,
  InvalidDeliveryCode,
  ParsedDelivery,
} from './core/parse-delivery.js';
export { normalizeDelivery } from './core/normalize-delivery.js';
export { EVENT_CATALOG, EVENT_NAMES, isEventName } from './events/event-names.js';
export type { EventCatalogEntry, EventName, EventPrefix } from './events/event-names.js';
export type * from './events/event-data.js';
export type { AnyWharfEvent, ContactIdentity, WharfEvent } from './events/wharf-event.js';
export { createRouter, matchesFilter } from './events/router.js';
export type {
  DispatchResult,
  ErrorHandler,
  EventFilter,
  HandlerFailure,
  Router,
  RouterOptions,
  Unsubscribe,
} from './events/router.js';
export type { EventOf, Handler } from './events/handler.js';
export {
  EVENT_PREFIXES,
  EventPatternError,
  parseEventPattern,
  parseEventPatterns,
} from './events/event-pattern.js';
export type {
  EventPattern,
  EventPrefixPattern,
  NamesMatching,
  ParsedEventPattern,
  ParsedEventPatterns,
} from './events/event-pattern.js';
export { errorPolicy, ERROR_ACTIONS, ERROR_CATEGORIES, ERROR_POLICY_TABLE } from './core/error-policy.js';
export type { ErrorAction, ErrorCategory, ErrorPolicy } from './core/error-policy.js';
export { statusRank, maxStatus, STATUS_RANK } from './core/status-rank.js';
export { KNOWN_FIELDS } from './meta/fields.js';
export type * from './meta/common.js';

// Handlers: durable hand-off with retries, dead letters and replay (docs/handlers.md).
export { createWharf } from './server/create-wharf.js';
export type { CreateWharfOptions, Wharf } from './server/create-wharf.js';
export { loadConfig } from './config/load-config.js';
export type { LoadConfigOptions, WharfConfig } from './config/load-config.js';
export { DontRetryError, RetryAfterError, HandlerTimeoutError } from './app/handler-errors.js';
export type {
  WharfHandler,
  HandlerAttemptFailure,
  HandlerErrorListener,
  HandlerOptions,
} from './app/handler-registry.js';
export type {
  WharfHandlerContext as HandlerContext,
  ReplyOptions,
  SentMessage,
} from './app/reply-context.js';
export { SendError } from './app/send-answer.js';
export type { SendOptions } from './app/send-service.js';
export type { HandlerRuntimeOptions } from './app/start-handlers.js';
export { DEFAULT_RETRY_POLICY, backoffCeiling, nextRetry } from './core/retry-schedule.js';
export type { Jitter, RetryDecision, RetryPolicy } from './core/retry-schedule.js';
