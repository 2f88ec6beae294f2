/**
 * Receiving one webhook POST, after its bytes were read: verify the signature over the raw bytes,
 * group-commit the delivery to the inbox, and say what the answer is: exactly 200 only after the
 * commit, 401 for a signature that does not verify, 503 (Meta retries) for any storage fault or
 * overload. The HTTP layer (src/api/ingest-delivery.ts) turns the receipt into bytes.
 */
import { verifySignature } from '../core/verify-signature.js';
import { ERRORS, WharfError } from '../errors.js';
import { StorageError } from '../storage-error.js';
import type { Logger } from '../observability/create-logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { DeliveryLog } from '../observability/delivery-log.js';
import type { RefusalLog } from '../observability/refusal-log.js';
import type { GroupCommitter } from './group-commit.js';

export interface ReceiveDeps {
  readonly appSecrets: readonly string[];
  readonly committer: GroupCommitter;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly now: () => number;
  readonly nextRequestId: () => string;
  /** Warnings about refused POSTs at a bounded rate (default: every one, on `logger`). */
  readonly refusalLog?: RefusalLog;
  /** One info line per stored delivery (WHARF_LOG_DELIVERIES). */
  readonly deliveryLog?: DeliveryLog;
  /** Called after a delivery is committed (wakes the processor). */
  readonly onStored?: () => void;
}

type Refusal<C extends keyof typeof ERRORS> = {
  readonly status: (typeof ERRORS)[C]['status'];
  readonly code: C;
};

/** What to answer, by catalogue code; 503s are answered with Retry-After. */
export type Receipt =
  | { readonly status: 200; readonly code: null }
  | Refusal<'SIGNATURE_MISSING'>
  | Refusal<'SIGNATURE_INVALID'>
  | Refusal<'NO_APP_SECRET'>
  | Refusal<'BODY_TOO_LARGE'>
  | Refusal<'OVERLOADED'>
  | Refusal<'SHUTTING_DOWN'>
  | Refusal<'STORAGE_UNAVAILABLE'>;

const STORED: Receipt = { status: 200, code: null };

function refusal<C extends Receipt['code'] & keyof typeof ERRORS>(code: C): Refusal<C> {
  return { status: ERRORS[code].status, code } as Refusal<C>;
}

/**
 * The receipt: at once (not a promise) when the POST is shed, so that its 503 can be written at
 * once, ahead of the 200s of a commit that settled in the same turn; otherwise once the delivery is
 * stored or refused.
 */
export function receiveDelivery(
  deps: ReceiveDeps,
  body: Buffer,
  signature: string | undefined,
): Receipt | Promise<Receipt> {
  return shedReceipt(deps) ?? receiveAdmitted(deps, body, signature);
}

/**
 * Shed before anything is computed: under overload every microsecond a 503 costs is taken from the
 * commits (an unsigned POST shed here gets 503 rather than 401; it would not have been stored either).
 */
function shedReceipt(deps: ReceiveDeps): Receipt | null {
  if (!deps.committer.shedding()) return null;
  deps.metrics.webhookRequests.inc({ outcome: 'overloaded' });
  return refusal('OVERLOADED');
}

async function receiveAdmitted(
  deps: ReceiveDeps,
  body: Buffer,
  signature: string | undefined,
): Promise<Receipt> {
  const requestId = deps.nextRequestId();
  const verified = verifySignature(body, signature, deps.appSecrets);
  if (!verified.ok) {
    deps.metrics.webhookRequests.inc({ outcome: 'bad_signature' });
    (deps.refusalLog ?? deps.logger).warn(
      { requestId, reason: verified.reason },
      'webhook signature rejected',
    );
    if (verified.reason === 'missing') return refusal('SIGNATURE_MISSING');
    return refusal(verified.reason === 'no-secret' ? 'NO_APP_SECRET' : 'SIGNATURE_INVALID');
  }
  try {
    const outcome = await deps.committer.submit({
      body,
      receivedAt: deps.now(),
      secretIndex: verified.secretIndex,
      requestId,
    });
    deps.metrics.webhookRequests.inc({ outcome: outcome.duplicate ? 'duplicate' : 'stored' });
    deps.deliveryLog?.stored(
      outcome.id,
      body.length,
      verified.secretIndex,
      outcome.duplicate,
      requestId,
      outcome.bodyHash,
    );
    deps.onStored?.();
    return STORED;
  } catch (err) {
    return notStored(deps, requestId, err);
  }
}

/** A body over WHARF_MAX_BODY_BYTES: refused before it is read to the end. */
export function refuseTooLarge(deps: Pick<ReceiveDeps, 'metrics'>): Receipt {
  deps.metrics.webhookRequests.inc({ outcome: 'too_large' });
  return refusal('BODY_TOO_LARGE');
}

function notStored(deps: ReceiveDeps, requestId: string, err: unknown): Receipt {
  if (err instanceof WharfError && (err.code === 'OVERLOADED' || err.code === 'SHUTTING_DOWN')) {
    deps.metrics.webhookRequests.inc({ outcome: err.code === 'OVERLOADED' ? 'overloaded' : 'shutting_down' });
    return refusal(err.code);
  }
  deps.metrics.webhookRequests.inc({ outcome: 'storage_error' });
  (deps.refusalLog ?? deps.logger).error(
    { requestId, err: err instanceof StorageError ? err.message : String(err) },
    'delivery not stored; answered 503 so Meta retries',
  );
  return refusal('STORAGE_UNAVAILABLE');
}
