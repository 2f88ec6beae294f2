import { closeSync, constants, openSync, readSync, statSync } from 'node:fs';

/** What a WAL did while it was watched. */
export interface WalWatch {
  /** Most frames the WAL held at once (its high-water mark since the last restart, at most). */
  readonly maxFrames: number;
  /** Times the WAL restarted from its first frame (a write began with every frame checkpointed). */
  readonly restarts: number;
  /** Size of the -wal file when the watch stopped, bytes. */
  readonly fileBytes: number;
  readonly pageSize: number;
}

/**
 * Watches a SQLite database's WAL through its wal-index (the `-shm` file), read with pread every
 * `everyMs`: the header's mxFrame (frames in the WAL now) and salt-1, which SQLite adds one to at
 * every restart of the WAL (wal.c walRestartHdr), so restarts are counted exactly however many
 * polls miss. Nothing is stat'ed while watching (a stat would make the kernel give the WAL's next
 * write a fine-grained timestamp) and the files are opened with O_NOATIME.
 */
export function watchWal(dbPath: string, everyMs = 1): { stop(): WalWatch } {
  let fd: number | undefined;
  const header = Buffer.alloc(48);
  let maxFrames = 0;
  let firstSalt: number | undefined;
  let lastSalt = 0;
  let pageSize = 0;
  const poll = () => {
    try {
      fd ??= openSync(`${dbPath}-shm`, constants.O_RDONLY | constants.O_NOATIME);
      if (readSync(fd, header, 0, 48, 0) < 48) return;
      // WalIndexHdr, native (little-endian) order except the salts, copied from the WAL's header.
      if (header[12] !== 1) return; // isInit
      pageSize = header.readUInt16LE(14) === 1 ? 65536 : header.readUInt16LE(14);
      maxFrames = Math.max(maxFrames, header.readUInt32LE(16));
      lastSalt = header.readUInt32BE(32);
      firstSalt ??= lastSalt;
    } catch {
      // not created yet
    }
  };
  const timer = setInterval(poll, everyMs);
  return {
    stop() {
      clearInterval(timer);
      poll();
      if (fd !== undefined) closeSync(fd);
      let fileBytes = 0;
      try {
        fileBytes = statSync(`${dbPath}-wal`).size;
      } catch {
        // no WAL
      }
      const restarts = firstSalt === undefined ? 0 : (lastSalt - firstSalt) >>> 0;
      return { maxFrames, restarts, fileBytes, pageSize };
    },
  };
}

/** Cumulative bucket counts of one Prometheus histogram in a /metrics text, by upper bound. */
export function histogramBuckets(metricsText: string, name: string): Map<number, number> {
  const out = new Map<number, number>();
  const re = new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\d+)`, 'gm');
  for (let m = re.exec(metricsText); m; m = re.exec(metricsText))
    out.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  return out;
}

/**
 * The group commits between two scrapes of `wharf_group_commit_seconds`: their count, the bucket
 * bounds under which half and 99 % of them fell (ms), and how many took over 10, 25, 50 and 100 ms.
 */
export function commitDurations(
  before: Map<number, number>,
  after: Map<number, number>,
): { count: number; p50: number; p99: number; over: Record<number, number> } {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const inWindow = (le: number) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
  const count = inWindow(Infinity);
  const quantile = (q: number) => 1000 * (bounds.find((le) => inWindow(le) >= q * count) ?? Infinity);
  const over: Record<number, number> = {};
  for (const ms of [10, 25, 50, 100]) over[ms] = count - inWindow(ms / 1000);
  return { count, p50: quantile(0.5), p99: quantile(0.99), over };
}
