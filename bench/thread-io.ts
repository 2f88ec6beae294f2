import { readFileSync, readdirSync } from 'node:fs';

/** Bytes each thread of a process has written and read through system calls so far (Linux). */
export interface ThreadIo {
  /** By thread id: `wchar` and `rchar` of /proc/<pid>/task/<tid>/io (page cache included, not only disk). */
  readonly threads: ReadonlyMap<number, { readonly written: number; readonly read: number }>;
}

export function threadIo(pid: number): ThreadIo {
  const threads = new Map<number, { written: number; read: number }>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { threads }; // not Linux, or the process is gone
  }
  for (const tid of tids) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/io`, 'utf8');
      const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      threads.set(Number(tid), { written: field('wchar'), read: field('rchar') });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { threads };
}

/** KB written and read per event between two samples by one thread (0 if it is in neither). */
export function threadIoPerEvent(a: ThreadIo, b: ThreadIo, tid: number, events: number) {
  const before = a.threads.get(tid) ?? { written: 0, read: 0 };
  const after = b.threads.get(tid) ?? before;
  const kb = (bytes: number) => bytes / 1024 / Math.max(1, events);
  return { writtenKb: kb(after.written - before.written), readKb: kb(after.read - before.read) };
}
