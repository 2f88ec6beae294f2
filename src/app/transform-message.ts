/**
 * Applies a destination's `transform` to a prepared message: the formatted payload (format `event`,
 * `meta` or `conversation`) goes in, the expression's result is the body sent. A `meta` body is signed
 * again, since `X-Hub-Signature-256` covers the exact bytes sent.
 */
import { createHmac } from 'node:crypto';
import type { OutboundMessage } from '../ports/destination-transport.js';
import { TransformError, type Transform } from './compile-transform.js';

const META_SIGNATURE = 'x-hub-signature-256';

export async function transformMessage(
  message: OutboundMessage,
  transform: Transform,
  signingSecret: string,
): Promise<OutboundMessage> {
  const result = await transform(JSON.parse(message.body) as unknown);
  if (result === undefined)
    throw new TransformError('transform gave no result for this event (the expression matched nothing)');
  const body = JSON.stringify(result);
  const headers =
    META_SIGNATURE in message.headers
      ? {
          ...message.headers,
          [META_SIGNATURE]: `sha256=${createHmac('sha256', signingSecret).update(body).digest('hex')}`,
        }
      : message.headers;
  return { ...message, body, headers, transformed: true };
}
