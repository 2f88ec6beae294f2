/** Opaque pagination cursors: base64url of a position, so clients do not build them by hand. */
export function encodeCursor(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

/** Throws a RangeError for a cursor that was not produced by encodeCursor. */
export function decodeCursor(cursor: string): string {
  const s = Buffer.from(cursor, 'base64url').toString('utf8');
  if (s === '' || encodeCursor(s) !== cursor) throw new RangeError('invalid cursor');
  return s;
}

/** The largest id a SQLite rowid or a PostgreSQL bigint can hold. */
const MAX_ID = 9223372036854775807n;

/**
 * A cursor to a row id: the decoded position must be an id a table could hold (1 to 2^63-1,
 * plain decimal), else a RangeError. Checked here, before any query, so every adapter refuses
 * the same cursors: a forged 20-digit position read as a float by one and overflowed a bigint
 * parameter in the other (a 200 on SQLite, a 400 or a storage fault on PostgreSQL).
 */
export function decodeIdCursor(cursor: string): bigint {
  const s = decodeCursor(cursor);
  if (!/^[1-9]\d{0,18}$/.test(s)) throw new RangeError('invalid cursor');
  const id = BigInt(s);
  if (id > MAX_ID) throw new RangeError('invalid cursor');
  return id;
}

/**
 * One page of a keyset query (newest first) that fetched `limit + 1` rows: the first `limit`,
 * mapped, and a cursor to the next page — the last one's id — only when the extra row shows there
 * is one.
 */
export function pageOf<R, T extends { readonly id: string }>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit).map((row) => map(row));
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
