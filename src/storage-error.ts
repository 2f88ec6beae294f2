/**
 * A transient storage fault (locked, read-only, full, unreachable, restarting): the ingress answers
 * 503 + Retry-After so Meta retries, the processor releases its batch and tries again later. It sits
 * beside the error catalogue (errors.ts), which maps it to STORAGE_UNAVAILABLE, and every adapter
 * raises it through toStorageError so the message always has the same shape.
 */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/**
 * `what (CODE): message`. Database drivers put their own code on the error (SQLSTATE such as 55P03
 * lock timeout or 57P01 admin shutdown, SQLITE_BUSY, ECONNREFUSED); it is kept visible because it is
 * what an operator searches for.
 */
export function toStorageError(what: string, err: unknown): StorageError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'UNKNOWN';
  const message = typeof e.message === 'string' ? e.message : String(err);
  return new StorageError(`${what} (${code}): ${message}`, { cause: err });
}
