/**
 * Files from disk for the plain HTTP routes: one file (sendFile) or a directory (serveDirectory).
 * Weak ETags make reloads revalidate cheaply; a brotli or gzip copy goes out when the client
 * accepts one (compress.ts), with `Vary: Accept-Encoding` and an ETag per encoding.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { compressedFile, compressible, pickEncoding } from './compress.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
};

export const typeOf = (file: string): string => TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

export interface FileOptions {
  /** Default 'no-cache' (always revalidate). */
  cacheControl?: string;
  headers?: Record<string, string>;
}

function statFile(file: string): { size: number; mtimeMs: number } | undefined {
  try {
    const st = statSync(file);
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

/** If-None-Match may list several tags. */
const matches = (header: string | undefined, etag: string): boolean => !!header && header.split(',').some((t) => t.trim() === etag || t.trim() === '*');

/** Sends `file` (200 or 304); false when it is not a regular file, and nothing was sent. */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: string, type = typeOf(file), options: FileOptions = {}): boolean {
  const st = statFile(file);
  if (!st) return false;
  const tag = `${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}`;
  const negotiable = compressible(type, st.size);
  const encoding = negotiable ? pickEncoding(req.headers['accept-encoding']) : undefined;
  const headers: Record<string, string | number> = {
    ...options.headers,
    'Cache-Control': options.cacheControl ?? 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...(negotiable ? { Vary: 'Accept-Encoding' } : {}),
  };
  const etag = `W/"${tag}${encoding ? `-${encoding}` : ''}"`;
  if (matches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, { ...headers, ETag: etag });
    res.end();
    return true;
  }
  const asIs = () => {
    res.writeHead(200, { ...headers, ETag: `W/"${tag}"`, 'Content-Type': type, 'Content-Length': st.size });
    if (req.method === 'HEAD') res.end();
    else
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
  };
  if (!encoding) {
    asIs();
    return true;
  }
  compressedFile(file, st.size, st.mtimeMs, encoding).then(
    (body) => {
      if (res.destroyed) return;
      res.writeHead(200, { ...headers, ETag: etag, 'Content-Type': type, 'Content-Encoding': encoding, 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    () => {
      // changed or vanished while being compressed: what is there now, as it is
      if (!res.destroyed && !res.headersSent && statFile(file)) asIs();
      else if (!res.headersSent) res.destroy();
    },
  );
  return true;
}

/** The file a URL path names under `root`: never a dotfile, never outside; `/x` may be x, x.html or x/index.html. */
function fileIn(root: string, url: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(url.split('?')[0]);
  } catch {
    return undefined;
  }
  if (path.length > 1024 || path.includes('\0') || path.includes('\\')) return undefined;
  const parts = path.split('/').filter(Boolean);
  if (parts.some((p) => p.startsWith('.'))) return undefined; // dotfiles, and every . or .. segment
  const base = join(root, ...parts);
  if (base !== root && !base.startsWith(root + sep)) return undefined;
  const candidates = path.endsWith('/') ? [join(base, 'index.html')] : [base, `${base}.html`, join(base, 'index.html')];
  return candidates.find((f) => statFile(f));
}

export type DirectoryHandler = (req: IncomingMessage, res: ServerResponse, notFound: () => void) => void;

/** Serves the files under `dir` at the request's path (index.html for directories); no listings. */
export function serveDirectory(dir: string, options: FileOptions = {}): DirectoryHandler {
  const root = resolve(dir);
  return (req, res, notFound) => {
    const file = fileIn(root, req.url ?? '/');
    if (!file || !sendFile(req, res, file, typeOf(file), options)) notFound();
  };
}
