import { errorAnswer, type Answer } from './ingest-delivery.js';
import type { WebhookDeps } from './webhook-deps.js';

/**
 * Answers the ingress gives before a body is read. Each closes its connection: the client may be
 * sending a body nobody will read.
 */
export function overloadedAnswer(
  deps: Pick<WebhookDeps, 'metrics' | 'retryAfterSeconds'>,
  why: string,
): Answer {
  deps.metrics.webhookRequests.inc({ outcome: 'overloaded' });
  return errorAnswer('OVERLOADED', why, {
    'retry-after': String(deps.retryAfterSeconds),
    connection: 'close',
  });
}

export function sourceRefusedAnswer(deps: Pick<WebhookDeps, 'metrics'>): Answer {
  deps.metrics.webhookRequests.inc({ outcome: 'source_refused' });
  return errorAnswer('SOURCE_NOT_ALLOWED', undefined, { connection: 'close' });
}

export function rateLimitedAnswer(deps: Pick<WebhookDeps, 'metrics'>, retryAfterSeconds: number): Answer {
  deps.metrics.webhookRequests.inc({ outcome: 'rate_limited' });
  return errorAnswer('SIGNATURE_RATE_LIMITED', undefined, {
    'retry-after': String(retryAfterSeconds),
    connection: 'close',
  });
}
