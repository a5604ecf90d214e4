/** Process trees from /proc (Linux only), for the harness and the benches. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

export interface ProcInfo {
  pid: number;
  /** User + system CPU milliseconds so far. */
  cpuMs: number;
}

/** `rootPid` and all its descendants alive now, or [] without /proc or when it is gone. */
export function processTree(rootPid: number | undefined): ProcInfo[] {
  if (!rootPid || !existsSync('/proc/self/stat')) return [];
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
  if (!cpu.has(rootPid)) return [];
  const out: ProcInfo[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push({ pid, cpuMs: cpu.get(pid) ?? 0 });
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}
