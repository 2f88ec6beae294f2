import { WharfError, ERRORS, type ErrorCode } from '../errors.js';
import { receiveDelivery, refuseTooLarge, type Receipt } from '../app/receive-delivery.js';
import type { WebhookDeps } from './webhook-deps.js';

/** An HTTP answer independent of the server that writes it (node:http or the fast path). */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/**
 * The fast path's webhook POST once its bytes are in; `source`: whom it is from. An answer decided
 * at once (a shed 503) comes back as it is, not as a promise, so it is written at once.
 */
export type IngestBody = (
  body: Buffer,
  signature: string | undefined,
  source: string,
) => Answer | Promise<Answer>;

const OK: Answer = { status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from('OK') };

export function errorAnswer(code: ErrorCode, detail?: string, headers: Record<string, string> = {}): Answer {
  const err = new WharfError(code, detail);
  return {
    status: ERRORS[code].status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: Buffer.from(JSON.stringify(err.toJSON())),
  };
}

/** The bytes of a receipt: 200 `OK`, or the catalogue error (503s with Retry-After, 413 hanging up). */
export function answerOf(receipt: Receipt, deps: WebhookDeps): Answer {
  switch (receipt.code) {
    case null:
      return OK;
    case 'BODY_TOO_LARGE':
      return errorAnswer(receipt.code, `limit is ${deps.maxBodyBytes} bytes`, { connection: 'close' });
    case 'OVERLOADED':
    case 'SHUTTING_DOWN':
    case 'STORAGE_UNAVAILABLE':
      return retryLater(receipt.code, deps.retryAfterSeconds);
    default:
      return errorAnswer(receipt.code);
  }
}

/**
 * The 503s, built once per code and Retry-After: under overload a shed answer is most of what the
 * ingress writes, and the same object lets the fast path reuse its bytes (answer-bytes.ts).
 */
const retryLaterAnswers = new Map<string, Answer>();
function retryLater(code: 'OVERLOADED' | 'SHUTTING_DOWN' | 'STORAGE_UNAVAILABLE', seconds: number): Answer {
  const key = `${code} ${seconds}`;
  let answer = retryLaterAnswers.get(key);
  if (!answer) {
    answer = errorAnswer(code, undefined, { 'retry-after': String(seconds) });
    retryLaterAnswers.set(key, answer);
  }
  return answer;
}

export function tooLargeAnswer(deps: WebhookDeps): Answer {
  return answerOf(refuseTooLarge(deps), deps);
}

/**
 * The webhook POST after its bytes are read, for both HTTP paths (src/app/receive-delivery.ts
 * decides): a shed 503 synchronously, any other answer once the delivery is stored or refused.
 */
export function ingestDelivery(
  deps: WebhookDeps,
  body: Buffer,
  signature: string | undefined,
): Answer | Promise<Answer> {
  const receipt = receiveDelivery(deps, body, signature);
  return receipt instanceof Promise ? receipt.then((r) => answerOf(r, deps)) : answerOf(receipt, deps);
}
