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
