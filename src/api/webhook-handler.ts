import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifySignature } from '../core/verify-signature.js';
import { verifySubscription } from '../core/verify-subscription.js';
import { WharfError } from '../errors.js';
import { StorageError } from '../ports/inbox.js';
import type { GroupCommitter } from '../app/group-commit.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../observability/create-logger.js';
import { readBody } from './read-body.js';
import { sendError, sendText } from './send.js';

export interface WebhookDeps {
  readonly appSecrets: readonly string[];
  readonly verifyToken: string | undefined;
  readonly maxBodyBytes: number;
  readonly retryAfterSeconds: number;
  readonly committer: GroupCommitter;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly now: () => number;
  readonly nextRequestId: () => string;
  /** Called after a delivery is committed (wakes the processor). */
  readonly onStored?: () => void;
}

/** GET: Meta's subscription handshake — never behind the signature check (peers bug: elizaOS#17823). */
export function handleHandshake(deps: WebhookDeps, req: IncomingMessage, res: ServerResponse): void {
  const q = req.url ?? '';
  const result = verifySubscription(new URLSearchParams(q.slice(q.indexOf('?') + 1)), deps.verifyToken);
  if (result.ok) {
    deps.metrics.webhookRequests.inc({ outcome: 'handshake_ok' });
    sendText(res, 200, result.challenge);
    return;
  }
  deps.metrics.webhookRequests.inc({ outcome: 'handshake_refused' });
  deps.logger.warn({ reason: result.reason }, 'subscription handshake refused');
  sendError(res, 'HANDSHAKE_REFUSED');
}

const OK = Buffer.from('OK');

/** POST: verify over the raw bytes, group-commit to the inbox, answer exactly 200 only after the commit. */
export async function handleDelivery(
  deps: WebhookDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const requestId = deps.nextRequestId();
  const read = await readBody(req, deps.maxBodyBytes);
  if (!read.ok) {
    if (read.reason === 'aborted') return;
    deps.metrics.webhookRequests.inc({ outcome: 'too_large' });
    // Close the connection instead of draining an oversized body.
    sendError(res, 'BODY_TOO_LARGE', `limit is ${deps.maxBodyBytes} bytes`, { connection: 'close' });
    res.once('finish', () => req.destroy());
    return;
  }
  const header = req.headers['x-hub-signature-256'];
  const sig = verifySignature(read.body, Array.isArray(header) ? header[0] : header, deps.appSecrets);
  if (!sig.ok) {
    deps.metrics.webhookRequests.inc({ outcome: 'bad_signature' });
    deps.logger.warn({ requestId, reason: sig.reason }, 'webhook signature rejected');
    sendError(
      res,
      sig.reason === 'missing'
        ? 'SIGNATURE_MISSING'
        : sig.reason === 'no-secret'
          ? 'NO_APP_SECRET'
          : 'SIGNATURE_INVALID',
    );
    return;
  }
  try {
    const outcome = await deps.committer.submit({
      body: read.body,
      receivedAt: deps.now(),
      secretIndex: sig.secretIndex,
      requestId,
    });
    deps.metrics.webhookRequests.inc({ outcome: outcome.duplicate ? 'duplicate' : 'stored' });
    deps.metrics.ackLatency.observe(Number(process.hrtime.bigint() - startedAt) / 1e9);
    if (deps.logger.isLevelEnabled('debug'))
      deps.logger.debug(
        { requestId, bodyHash: outcome.bodyHash, deliveryId: outcome.id, duplicate: outcome.duplicate },
        'delivery stored',
      );
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': OK.length });
    res.end(OK);
    deps.onStored?.();
  } catch (err) {
    unavailable(deps, res, requestId, err);
  }
}

function unavailable(deps: WebhookDeps, res: ServerResponse, requestId: string, err: unknown): void {
  const retry = { 'retry-after': String(deps.retryAfterSeconds) };
  if (err instanceof WharfError && (err.code === 'OVERLOADED' || err.code === 'SHUTTING_DOWN')) {
    deps.metrics.webhookRequests.inc({ outcome: err.code === 'OVERLOADED' ? 'overloaded' : 'shutting_down' });
    sendError(res, err.code, undefined, retry);
    return;
  }
  deps.metrics.webhookRequests.inc({ outcome: 'storage_error' });
  deps.logger.error(
    { requestId, err: err instanceof StorageError ? err.message : String(err) },
    'delivery not stored; answered 503 so Meta retries',
  );
  sendError(res, 'STORAGE_UNAVAILABLE', undefined, retry);
}
