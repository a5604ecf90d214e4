/** Poll until `check` returns a truthy value, or fail with `what` after `timeout` ms. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeout = 15000, interval = 50): Promise<NonNullable<T>> {
  const end = performance.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (performance.now() > end) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(interval);
  }
}

/** Only for pacing (a gap between actions) or to let something that must NOT happen have its chance: never to wait for a condition. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
