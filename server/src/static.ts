/**
 * Plain HTTP next to socket.io (which answers /socket.io/ itself): /healthz, /metrics (when on), the
 * bundle at /rtc-widgets.js (+ .map) and the chunks it loads on first use at /rtc-widgets-chunks/,
 * the documentation site at /docs/ (dist/site, from scripts/docs-site.mjs), the demo directory
 * at /, 404 for everything else.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import sirv from 'sirv';

export interface HttpOptions {
  /** Directory served at '/' (index.html for directories), or false. */
  staticDir?: string | false;
  /** Absolute path of the bundle served at /rtc-widgets.js (its .map next to it, if present; its chunks in rtc-widgets-chunks/ next to it). */
  bundleFile?: string;
  /** Directory served at /docs/ (the generated documentation site), or false. */
  docsDir?: string | false;
  health(): Record<string, unknown>;
  /** GET /metrics in Prometheus text format; with `token`, only for `Authorization: Bearer <token>`. */
  metrics?: { registry: Registry; token?: string };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Where the documentation site is mounted. */
const DOCS = '/docs';

/** The directory next to the bundle with the chunks it imports (rollup.config.mjs). */
const CHUNKS = 'rtc-widgets-chunks';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

/**
 * The bundle is meant to be loaded by pages of any origin (the README's snippet), and
 * `<script type="module">` fetches cross-origin scripts in CORS mode: without this header the
 * browser refuses to run it. It is public code fetched without credentials, so `*` is right
 * whatever ALLOWED_ORIGINS says (that list guards the socket.io handshake).
 */
const CROSS_ORIGIN = { 'Access-Control-Allow-Origin': '*' };

/** One file, with a weak ETag so reloads of the demo revalidate cheaply instead of refetching. */
function sendFile(req: IncomingMessage, res: ServerResponse, file: string, type: string, extraHeaders: Record<string, string> = {}): boolean {
  let size: number;
  let mtime: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return false;
    size = st.size;
    mtime = st.mtimeMs;
  } catch {
    return false;
  }
  const etag = `W/"${size.toString(16)}-${Math.floor(mtime).toString(16)}"`;
  const headers = { ...extraHeaders, ETag: etag, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': size });
  if (req.method === 'HEAD') res.end();
  else
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  return true;
}

export function createRequestHandler(options: HttpOptions): RequestHandler {
  const dir = options.staticDir;
  const serveStatic =
    dir && existsSync(dir)
      ? sirv(dir, {
          dev: false, // file list read once at start; no directory listings either way
          etag: true,
          dotfiles: false,
          setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
        })
      : undefined;
  const bundle = options.bundleFile;
  const chunksDir = bundle ? join(dirname(bundle), CHUNKS) : undefined;
  // Chunk names carry a hash of their content: cached for good, and CORS-readable like the bundle.
  const serveChunks =
    chunksDir && existsSync(chunksDir)
      ? sirv(chunksDir, {
          dev: false,
          etag: true,
          dotfiles: false,
          immutable: true,
          maxAge: 31_536_000,
          setHeaders: (res) => {
            res.setHeader('X-Content-Type-Options', 'nosniff');
            res.setHeader('Access-Control-Allow-Origin', '*');
          },
        })
      : undefined;

  const docs = options.docsDir;
  const serveDocs =
    docs && existsSync(docs)
      ? sirv(docs, { dev: false, etag: true, dotfiles: false, setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff') })
      : undefined;

  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'method not allowed\n');
    }
    if (path === '/healthz') {
      res.setHeader('Cache-Control', 'no-store');
      return send(res, 200, JSON.stringify({ ok: true, ...options.health() }), 'application/json');
    }
    if (path === '/metrics' && options.metrics) {
      const { registry, token } = options.metrics;
      res.setHeader('Cache-Control', 'no-store');
      if (token) {
        const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
        if (!m || !sameSecret(m[1].trim(), token)) {
          res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
          return send(res, 401, 'unauthorized\n');
        }
      }
      registry.metrics().then(
        (text) => send(res, 200, text, registry.contentType),
        (err) => send(res, 500, `metrics failed: ${String(err)}\n`),
      );
      return;
    }
    if (bundle && path === '/rtc-widgets.js') {
      if (!sendFile(req, res, bundle, 'text/javascript; charset=utf-8', CROSS_ORIGIN)) send(res, 404, 'bundle not built: run `npm run build`\n');
      return;
    }
    if (bundle && path === '/rtc-widgets.js.map') {
      if (!sendFile(req, res, `${bundle}.map`, 'application/json', CROSS_ORIGIN)) send(res, 404, 'not found\n');
      return;
    }
    if (bundle && path.startsWith(`/${CHUNKS}/`)) {
      if (!serveChunks) return send(res, 404, 'bundle not built: run `npm run build`\n');
      req.url = req.url!.slice(CHUNKS.length + 1);
      return serveChunks(req, res, () => send(res, 404, 'not found\n'));
    }
    // The site's pages link each other relatively: /docs must become /docs/ for them to resolve.
    if (docs && path === DOCS) {
      res.writeHead(301, { Location: `${DOCS}/` });
      return res.end();
    }
    if (docs && path.startsWith(`${DOCS}/`)) {
      if (!serveDocs) return send(res, 404, 'documentation site not built: run `npm run build`\n');
      req.url = req.url!.slice(DOCS.length);
      return serveDocs(req, res, () => send(res, 404, 'not found\n'));
    }
    if (serveStatic) return serveStatic(req, res, () => send(res, 404, 'not found\n'));
    send(res, 404, 'not found\n');
  };
}
