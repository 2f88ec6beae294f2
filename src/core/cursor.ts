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
