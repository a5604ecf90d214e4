/**
 * Compressed copies of the static files (brotli or gzip, by the request's Accept-Encoding), made
 * once per file version with node:zlib off the event loop and kept in memory: the bundle and its
 * chunks go out at about a third of their size, and no file is compressed twice.
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** Below this, a compressed body saves less than its headers cost. */
const MIN_BYTES = 1024;
/** Larger files go out as they are rather than held in memory. */
const MAX_BYTES = 8 * 1024 * 1024;
/** Compressed bytes kept at most; past this the cache starts over (it refills on demand). */
const CACHE_BYTES = 64 * 1024 * 1024;
/** A longer Accept-Encoding is not a browser's: send the file as it is. */
const MAX_HEADER = 256;

const COMPRESSIBLE = /^(?:text\/|application\/(?:javascript|json|manifest\+json|xml|wasm)|image\/svg\+xml)/;

export function compressible(type: string, size: number): boolean {
  return size >= MIN_BYTES && size <= MAX_BYTES && COMPRESSIBLE.test(type);
}

/** br, else gzip, when Accept-Encoding allows it (listed, or `*`, with q > 0); otherwise none. */
export function pickEncoding(header: string | string[] | undefined): Encoding | undefined {
  if (typeof header !== 'string' || header.length > MAX_HEADER) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim());
    if (!name) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const allows = (name: string) => (weights.get(name) ?? weights.get('*') ?? 0) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return undefined;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

function compress(bytes: Buffer, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
    : gzipped(bytes, { level: 9 });
}

/** One entry per file and encoding: a new version of the file replaces the old one. */
const cache = new Map<string, { version: string; body: Promise<Buffer>; size: number }>();
let cachedBytes = 0;

/**
 * `file` compressed with `encoding`, for the version that stat() saw (`size`, `mtimeMs`); rejects
 * if the file changed meanwhile (the caller then sends it as it is).
 */
export function compressedFile(file: string, size: number, mtimeMs: number, encoding: Encoding): Promise<Buffer> {
  const key = `${encoding}:${file}`;
  const version = `${size}:${mtimeMs}`;
  const hit = cache.get(key);
  if (hit?.version === version) return hit.body;
  if (hit) {
    cachedBytes -= hit.size;
    cache.delete(key);
  }
  const entry: { version: string; size: number; body: Promise<Buffer> } = { version, size: 0, body: Promise.resolve(Buffer.alloc(0)) };
  entry.body = readFile(file).then(async (bytes) => {
    if (bytes.length !== size) throw new Error(`${file} changed while it was read`);
    const out = await compress(bytes, encoding);
    if (cache.get(key) === entry) {
      entry.size = out.length;
      cachedBytes += out.length;
      if (cachedBytes > CACHE_BYTES) {
        cache.clear();
        cachedBytes = 0;
      }
    }
    return out;
  });
  entry.body.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  cache.set(key, entry);
  return entry.body;
}
