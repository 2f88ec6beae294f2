import { closeSync, constants, openSync, readSync } from 'node:fs';

/**
 * The WAL of a SQLite database as its wal-index (the `-shm` file) shows it
 * (https://sqlite.org/walformat.html, "The WAL-Index Header"): `frames` in the WAL now, and
 * `restarts`, salt-1 of the WAL header, which SQLite adds one to each time the WAL restarts from
 * its first frame.
 */
export function walIndex(dbPath: string): { frames: number; restarts: number } {
  const fd = openSync(`${dbPath}-shm`, constants.O_RDONLY);
  try {
    const header = Buffer.alloc(48);
    readSync(fd, header, 0, 48, 0);
    return { frames: header.readUInt32LE(16), restarts: header.readUInt32BE(32) };
  } finally {
    closeSync(fd);
  }
}
