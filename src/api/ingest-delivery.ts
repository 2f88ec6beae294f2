import { verifySignature } from '../core/verify-signature.js';
import { WharfError, ERRORS, type ErrorCode } from '../errors.js';
import { StorageError } from '../ports/inbox.js';
import type { WebhookDeps } from './webhook-handler.js';

/** An HTTP answer independent of the server that writes it (node:http or the fast path). */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

const OK: Answer = { status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from('OK') };

export function errorAnswer(code: ErrorCode, detail?: string, headers: Record<string, string> = {}): Answer {
  const err = new WharfError(code, detail);
  return {
    status: ERRORS[code].status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: Buffer.from(JSON.stringify(err.toJSON())),
  };
}

export function tooLargeAnswer(deps: WebhookDeps): Answer {
  deps.metrics.webhookRequests.inc({ outcome: 'too_large' });
  return errorAnswer('BODY_TOO_LARGE', `limit is ${deps.maxBodyBytes} bytes`, { connection: 'close' });
}

/**
 * The webhook POST after its bytes are read: verify the signature over the raw bytes, group-commit
 * to the inbox, and answer exactly 200 only after the commit (503 + Retry-After on any storage fault).
 */
export async function ingestDelivery(
  deps: WebhookDeps,
  body: Buffer,
  signature: string | undefined,
  startedAt: bigint,
): Promise<Answer> {
  const requestId = deps.nextRequestId();
  const sig = verifySignature(body, signature, deps.appSecrets);
  if (!sig.ok) {
    deps.metrics.webhookRequests.inc({ outcome: 'bad_signature' });
    (deps.refusalLog ?? deps.logger).warn({ requestId, reason: sig.reason }, 'webhook signature rejected');
    const code =
      sig.reason === 'missing'
        ? 'SIGNATURE_MISSING'
        : sig.reason === 'no-secret'
          ? 'NO_APP_SECRET'
          : 'SIGNATURE_INVALID';
    return errorAnswer(code);
  }
  try {
    const outcome = await deps.committer.submit({
      body,
      receivedAt: deps.now(),
      secretIndex: sig.secretIndex,
      requestId,
    });
    deps.metrics.webhookRequests.inc({ outcome: outcome.duplicate ? 'duplicate' : 'stored' });
    deps.metrics.ackLatency.observe(Number(process.hrtime.bigint() - startedAt) / 1e9);
    deps.deliveryLog?.stored(
      outcome.id,
      body.length,
      sig.secretIndex,
      outcome.duplicate,
      requestId,
      outcome.bodyHash,
    );
    deps.onStored?.();
    return OK;
  } catch (err) {
    return unavailable(deps, requestId, err);
  }
}

function unavailable(deps: WebhookDeps, requestId: string, err: unknown): Answer {
  const retry = { 'retry-after': String(deps.retryAfterSeconds) };
  if (err instanceof WharfError && (err.code === 'OVERLOADED' || err.code === 'SHUTTING_DOWN')) {
    deps.metrics.webhookRequests.inc({ outcome: err.code === 'OVERLOADED' ? 'overloaded' : 'shutting_down' });
    return errorAnswer(err.code, undefined, retry);
  }
  deps.metrics.webhookRequests.inc({ outcome: 'storage_error' });
  (deps.refusalLog ?? deps.logger).error(
    { requestId, err: err instanceof StorageError ? err.message : String(err) },
    'delivery not stored; answered 503 so Meta retries',
  );
  return errorAnswer('STORAGE_UNAVAILABLE', undefined, retry);
}
