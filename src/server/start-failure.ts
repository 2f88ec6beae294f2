/**
 * Start-up failures in the words of the catalogue: which setting to check and what to check in it,
 * instead of a bare `connect ECONNREFUSED` or `listen EADDRINUSE`. Never repeats DATABASE_URL (it
 * may hold a password); driver messages name hosts, users and databases, never passwords.
 */
import type { WharfConfig } from '../config/load-config.js';
import { WharfError } from '../errors.js';
import { StorageError } from '../storage-error.js';

/** PostgreSQL refused the session: 28000 no such role / not allowed, 28P01 wrong password, 3D000 no such database. */
const REFUSED_SQLSTATE = new Set(['28000', '28P01', '3D000']);
/** The database could not be reached or opened at all. */
const UNREACHABLE_CODE =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EACCES|EPERM|ENOENT|EROFS|EISDIR|ENOTDIR|EEXIST|SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_NOTADB)/;
/** pg's own words when no connection came in time (it sets no code). */
const PG_TIMEOUT = /timeout expired|connection timeout|Connection terminated/i;

const codeOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : '';
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A failure while opening, migrating or warming up storage. Anything else is returned unchanged. */
export function storageStartFailure(err: unknown, config: WharfConfig): unknown {
  if (err instanceof WharfError) return err;
  const cause = err instanceof StorageError && err.cause !== undefined ? err.cause : err;
  const code = codeOf(cause);
  const why = messageOf(err);
  if (REFUSED_SQLSTATE.has(code))
    return new WharfError(
      'DATABASE_REFUSED',
      `${why}. Check the user name, password and database name in DATABASE_URL`,
      { cause: err },
    );
  if (!UNREACHABLE_CODE.test(code) && !PG_TIMEOUT.test(messageOf(cause))) return err;
  const what =
    config.storage.kind === 'sqlite'
      ? `Check the file path in DATABASE_URL (${config.storage.path}): its directory must exist or be creatable, and be writable by this user`
      : 'Check the host and port in DATABASE_URL and that the PostgreSQL server is running and reachable from here';
  return new WharfError('DATABASE_UNREACHABLE', `${why}. ${what}`, { cause: err });
}

/** A failure to listen on HOST:PORT. Anything else is returned unchanged. */
export function listenStartFailure(err: unknown, config: WharfConfig): unknown {
  const code = codeOf(err);
  const why = messageOf(err);
  if (code === 'EADDRINUSE')
    return new WharfError(
      'PORT_IN_USE',
      `${why}. Another process listens on PORT ${config.port} of ${config.host}: stop it, or set another PORT (wharf start --port)`,
      { cause: err },
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EADDRNOTAVAIL')
    return new WharfError(
      'HOST_UNAVAILABLE',
      `${why}. Check HOST (${config.host}): use 0.0.0.0, :: or a name or address of this machine`,
      { cause: err },
    );
  return err;
}
