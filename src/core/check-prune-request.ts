import type { PruneRequest } from '../ports/retention.js';

/** Both retention adapters refuse a malformed request the same way: it is a caller's mistake, said plainly. */
export function checkPruneRequest(r: PruneRequest): void {
  if (!Number.isInteger(r.batchSize) || r.batchSize < 1)
    throw new RangeError(`batchSize must be a positive whole number, got ${r.batchSize}`);
  if (!Number.isSafeInteger(r.olderThan) || !Number.isSafeInteger(r.protectAfter))
    throw new RangeError('olderThan and protectAfter must be whole epoch milliseconds');
  if (r.after !== undefined && !/^[1-9]\d{0,14}$/.test(r.after))
    throw new RangeError(`after must be a delivery id from a previous batch, got ${JSON.stringify(r.after)}`);
}
