import { StorageError, toStorageError } from '../../storage-error.js';

/**
 * SQLSTATE classes that mean "the database is unavailable or busy right now", not "this batch is
 * bad": connection (08), transaction rollback such as deadlock or serialization (40), resources
 * (53), lock timeout (55P03), operator intervention such as a restart (57), system (58). A network
 * error has no SQLSTATE at all.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const TRANSIENT = /^(08|40|53|55P03|57|58)/;

/**
 * Errors JavaScript raises itself (a value nested too deep for JSON.stringify, a bug) say nothing
 * about the database. Taken for storage faults, they released the whole batch to be retried for
 * ever, holding back every delivery behind the one that caused them.
 */
const OWN_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

export function isTransient(err: unknown): boolean {
  if (OWN_ERRORS.some((E) => err instanceof E)) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || TRANSIENT.test(code);
}

/** pg's query_timeout fired: no answer came from the server (open-database.ts, CLIENT_GRACE_MS). */
export function isClientTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === 'Query read timeout';
}

/** Transient faults become StorageError (503 / retry later); data errors stay as they are. */
export function classify(what: string, err: unknown): Error {
  if (err instanceof StorageError) return err;
  if (isTransient(err)) return toStorageError(what, err);
  return err instanceof Error ? err : new Error(String(err));
}
