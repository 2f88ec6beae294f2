import { toStorageError } from '../../storage-error.js';

/** SQLite result codes that mean "storage unavailable", not "this batch is bad". */
const TRANSIENT = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|PROTOCOL|NOMEM)/;

/** Runs `fn`; a transient SQLite fault becomes a StorageError (503 / retry later), anything else is rethrown. */
export function transientSqlite<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT.test(code)) throw toStorageError(what, err);
    throw err;
  }
}
