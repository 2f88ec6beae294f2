/** Data of Wharf's own events (`wharf.*`). Times are epoch ms like `occurredAt`. */

export interface WharfDestinationFailingData {
  readonly destinationId: string;
  readonly destinationName: string;
  /** First failure since the last success. */
  readonly failingSince: number;
  /** When it will be disabled unless an attempt succeeds first. */
  readonly disableAt: number;
}

export interface WharfDestinationDisabledData {
  readonly destinationId: string;
  readonly destinationName: string;
  /** Why, in plain words (also the destination's `disabled_reason`). */
  readonly reason: string;
  /** The failing run that led to it, or null (e.g. a 410 Gone on a first failure). */
  readonly failingSince: number | null;
}

export interface WharfDeadLetterData {
  /** The outbox row (GET /api/v1/dead-letters, POST …/{id}/replay). */
  readonly outboxId: string;
  /** Handler id or `destination:<id>`. */
  readonly target: string;
  readonly eventId: string;
  readonly eventKey: string;
  readonly eventName: string;
  readonly attempts: number;
  readonly error: string;
}

export interface WharfMediaFailedData {
  readonly mediaId: string;
  readonly wamid: string | null;
  readonly phoneNumberId: string | null;
  readonly attempts: number;
  readonly error: string;
}

export interface WharfSendRefusedData {
  /** The guard's code: WINDOW_CLOSED, MARKETING_OPT_OUT, TEMPLATE_NOT_APPROVED. */
  readonly code: string;
  readonly reason: string;
  readonly phoneNumberId: string;
  /** Recipient phone number or BSUID. */
  readonly to: string;
}
