/**
 * Restart a crashed service (test/harness/service.ts) and take the moment it answers: its own
 * `restart()` resolves once a 50 ms poll finds the port accepting; a 10 ms poll of our own runs
 * beside it, and the earlier of the two is the moment (at most ~10 ms late).
 */
import { portAccepts } from '../../test/harness/service.js';
import { sleep } from './util.js';

export interface Restarted {
  /** Date.now() when the port first accepted a TCP connection. */
  answeredAt: number;
  /** Date.now() when restart() resolved. */
  restartResolvedAt: number;
  /** Date.now() when restart() was called. */
  restartCalledAt: number;
}

export async function restartAndTime(service: { restart(): Promise<void> }, port: number): Promise<Restarted> {
  const restartCalledAt = Date.now();
  let firstAccept: number | undefined;
  let done = false;
  const poll = (async () => {
    while (!done && firstAccept === undefined) {
      const t = Date.now();
      if (await portAccepts(port)) firstAccept = t;
      else await sleep(10);
    }
  })();
  try {
    await service.restart();
  } finally {
    done = true;
  }
  const restartResolvedAt = Date.now();
  await poll;
  return { answeredAt: Math.min(firstAccept ?? restartResolvedAt, restartResolvedAt), restartResolvedAt, restartCalledAt };
}
