import type { ReceiveDeps } from '../app/receive-delivery.js';
import type { ByteBudget } from './byte-budget.js';

/** What the webhook route needs: the receive use case's parts and the answers' HTTP settings. */
export interface WebhookDeps extends ReceiveDeps {
  readonly verifyToken: string | undefined;
  readonly maxBodyBytes: number;
  readonly retryAfterSeconds: number;
  /** WHARF_MAX_BUFFERED_BYTES, shared by the fast path and node:http (default: no bound on this path). */
  readonly bodyBudget?: ByteBudget;
}
