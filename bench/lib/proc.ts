/** CPU time of a process tree from /proc (Linux only): what a browser spent on some work, whatever the machine's load. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU milliseconds of `rootPid` and all its descendants (alive now), or null without /proc. */
export function treeCpuMs(rootPid: number | undefined): number | null {
  if (!rootPid || !existsSync('/proc/self/stat')) return null;
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid … utime stime: fields 4, 14 and 15; comm may hold spaces and parentheses.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const ppid = Number(rest[1]);
      cpu.set(pid, (Number(rest[11]) + Number(rest[12])) * TICK_MS);
      const list = children.get(ppid);
      if (list) list.push(pid);
      else children.set(ppid, [pid]);
    } catch {
      // the process ended meanwhile
    }
  }
  if (!cpu.has(rootPid)) return null;
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    total += cpu.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Peak resident set of process `pid` in MiB (VmHWM: the high-water mark since it started), or null without /proc. */
export function peakRssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}
