/**
 * Whether two lists of flat records hold the same values, so a store can skip a publish that would
 * change nothing (every publish re-renders every element that listens). Values compare by
 * identity, except plain objects and arrays (a quality grade, its reasons), which compare by
 * content: they are rebuilt on every read.
 */
export function sameRecords<T extends object>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => sameRecord(x, b[i]!));
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
