/**
 * `next` with every record equal to the previous one of the same id replaced by that previous
 * object, and `prev` itself when nothing changed at all. So a store skips a publish that would
 * change nothing (every publish re-renders every element that listens), and an unchanged record
 * keeps its identity: a view handed it (lit compares properties by identity) skips its update
 * when another record changes. Values compare by identity, except plain objects and arrays (a
 * quality grade, its reasons), which compare by content: they are rebuilt on every read.
 */
export function keepUnchanged<T extends { id: string }>(next: T[], prev: T[]): T[] {
  const before = new Map(prev.map((r) => [r.id, r]));
  const kept = next.map((r) => {
    const old = before.get(r.id);
    return old && sameRecord(r, old) ? old : r;
  });
  return kept.length === prev.length && kept.every((r, i) => r === prev[i]) ? prev : kept;
}

function sameRecord(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => k in b && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!isPlain(a) || !isPlain(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  return Array.isArray(a) ? sameList(a, b as unknown[]) : sameRecord(a, b);
}

function sameList(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
}

function isPlain(v: unknown): v is object {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === Array.prototype;
}
