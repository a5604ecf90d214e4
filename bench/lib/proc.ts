/** CPU time of a process tree from /proc (Linux only): what a browser spent on some work, whatever the machine's load. */
import { readFileSync } from 'node:fs';
import { processTree } from '../../test/harness/proc-tree.js';

/** User + system CPU milliseconds of `rootPid` and all its descendants (alive now), or null without /proc. */
export function treeCpuMs(rootPid: number | undefined): number | null {
  const tree = processTree(rootPid);
  return tree.length ? tree.reduce((sum, p) => sum + p.cpuMs, 0) : null;
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
