import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifySubscription } from '../core/verify-subscription.js';
import { readBody } from './read-body.js';
import { overloadedAnswer } from './refusal-answers.js';
import { sendError, sendText } from './send.js';
import { ingestDelivery, tooLargeAnswer, type Answer } from './ingest-delivery.js';
import type { WebhookDeps } from './webhook-deps.js';
import { observeAck } from './observe-ack.js';

/** GET: Meta's subscription handshake — never behind the signature check (peers bug: elizaOS#17823). */
export function handleHandshake(deps: WebhookDeps, search: string, res: ServerResponse): void {
  const result = verifySubscription(new URLSearchParams(search), deps.verifyToken);
  if (result.ok) {
    deps.metrics.webhookRequests.inc({ outcome: 'handshake_ok' });
    // The challenge is text chosen by the caller: never let a browser sniff it into HTML.
    sendText(res, 200, result.challenge, { 'x-content-type-options': 'nosniff' });
    return;
  }
  deps.metrics.webhookRequests.inc({ outcome: 'handshake_refused' });
  deps.logger.warn({ reason: result.reason }, 'subscription handshake refused');
  sendError(res, 'HANDSHAKE_REFUSED');
}

/** POST through node:http (the fast path in fast-ingress.ts handles the common case without it). */
export async function handleDelivery(
  deps: WebhookDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const read = await readBody(req, deps.maxBodyBytes, deps.bodyBudget);
  if (!read.ok) {
    if (read.reason === 'aborted') return;
    // Close the connection instead of draining an oversized body.
    const refusal =
      read.reason === 'too-large'
        ? tooLargeAnswer(deps)
        : overloadedAnswer(deps, 'request bytes held in memory are at WHARF_MAX_BUFFERED_BYTES');
    writeAnswer(res, refusal);
    observeAck(deps.metrics, refusal.status, startedAt);
    res.once('finish', () => req.destroy());
    return;
  }
  const header = req.headers['x-hub-signature-256'];
  try {
    const answer = await ingestDelivery(deps, read.body, Array.isArray(header) ? header[0] : header);
    writeAnswer(res, answer);
    observeAck(deps.metrics, answer.status, startedAt);
  } finally {
    read.release();
  }
}

function writeAnswer(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length });
  res.end(answer.body);
}
