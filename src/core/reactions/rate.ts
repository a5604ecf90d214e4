/**
 * A per-peer sliding window: at most `max` events per `windowMs` from each peer; the rest are
 * dropped (a hostile peer cannot flood the page with reactions or queue changes).
 */
export class PerPeerRate {
  readonly #times = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs = 1000,
  ) {}

  /** Count one event from `id` now; false when over the limit (the event is to be dropped). */
  take(id: string, now = performance.now()): boolean {
    const recent = (this.#times.get(id) ?? []).filter((t) => now - t < this.windowMs);
    const ok = recent.length < this.max;
    if (ok) recent.push(now);
    this.#times.set(id, recent);
    return ok;
  }

  forget(id: string): void {
    this.#times.delete(id);
  }

  clear(): void {
    this.#times.clear();
  }
}
