import type { ReceiveDeps } from '../app/receive-delivery.js';

/** What the webhook route needs: the receive use case's parts and the answers' HTTP settings. */
export interface WebhookDeps extends ReceiveDeps {
  readonly verifyToken: string | undefined;
  readonly maxBodyBytes: number;
  readonly retryAfterSeconds: number;
}
