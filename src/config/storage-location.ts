import { WharfError } from '../errors.js';

/**
 * Which database DATABASE_URL names, decided once here: the composition root (src/server/) picks the
 * adapter from `kind`, and nothing else looks at the URL's scheme.
 */
export type StorageLocation =
  { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** `sqlite:<path>` or `postgres(ql)://…`; anything else is DATABASE_URL_INVALID (the URL is never echoed: it may hold a password). */
export function storageLocation(databaseUrl: string): StorageLocation {
  if (databaseUrl.startsWith('sqlite:')) return { kind: 'sqlite', path: sqliteFile(databaseUrl) };
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return { kind: 'postgres', url: postgresUrl(databaseUrl) };
  throw new WharfError('DATABASE_URL_INVALID', 'it must be sqlite:<path> or postgres://…');
}

function sqliteFile(databaseUrl: string): string {
  const path = databaseUrl.slice('sqlite:'.length);
  if (path === '' || path === ':memory:')
    throw new WharfError(
      'DATABASE_URL_INVALID',
      'an in-memory SQLite database cannot be durable; give a file path (sqlite:./data/wharf.db)',
    );
  return path;
}

function postgresUrl(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    // WHATWG's own message is a bare 'Invalid URL'.
    throw new WharfError(
      'DATABASE_URL_INVALID',
      'it is not a valid postgres:// URL: check the host and port, and percent-encode special characters in the user name and password',
    );
  }
  const schema = url.searchParams.get('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema))
    throw new WharfError(
      'DATABASE_URL_INVALID',
      '?schema= must be a lowercase identifier ([a-z_][a-z0-9_]*, at most 63 characters)',
    );
  return databaseUrl;
}
