import { readdirSync, readFileSync } from 'node:fs';

/** utime + stime of a process's main thread and of all its threads, in seconds (Linux /proc). */
export function threadCpuSeconds(pid: number): { main: number; all: number } {
  let all = 0;
  let main = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const s = (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
    all += s;
    if (tid === String(pid)) main = s;
  }
  return { main, all };
}
