import type { IncomingMessage } from 'node:http';
import type { ByteBudget } from './byte-budget.js';

export type BodyResult =
  | {
      readonly ok: true;
      readonly body: Buffer;
      /** Gives the bytes back to the budget once the answer is written. */
      readonly release: () => void;
    }
  | { readonly ok: false; readonly reason: 'too-large' | 'aborted' | 'overloaded' };

/**
 * Reads the raw request bytes, refusing early (from Content-Length) or as soon as the limit is
 * crossed, so an oversized body is never buffered whole. With a budget (WHARF_MAX_BUFFERED_BYTES,
 * shared with the fast path), a declared body is reserved before it is read and a chunked one as
 * it arrives; one that does not fit is refused as overloaded.
 */
export function readBody(req: IncomingMessage, limit: number, budget?: ByteBudget): Promise<BodyResult> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit)
    return Promise.resolve({ ok: false, reason: 'too-large' });
  let held = 0;
  const release = () => {
    budget?.release(held);
    held = 0;
  };
  const take = (bytes: number) => {
    if (budget && !budget.tryReserve(bytes)) return false;
    held += bytes;
    return true;
  };
  if (declared !== undefined && !take(Number(declared)))
    return Promise.resolve({ ok: false, reason: 'overloaded' });
  const reserved = held;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      if (!r.ok) release();
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish({ ok: false, reason: 'too-large' });
      if (size > reserved && !take(Math.min(chunk.length, size - reserved)))
        return finish({ ok: false, reason: 'overloaded' });
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () =>
      finish({
        ok: true,
        body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size),
        release,
      }),
    );
    req.once('error', () => finish({ ok: false, reason: 'aborted' }));
    req.once('close', () => finish({ ok: false, reason: 'aborted' }));
  });
}
