/**
 * Plain HTTP next to socket.io (which answers /socket.io/ itself): /healthz, /metrics (when on), the
 * bundle at /rtc-widgets.js (+ .map) and the chunks it loads on first use at /rtc-widgets-chunks/,
 * the documentation site at /docs/ (dist/site, from scripts/docs-site.mjs), the demo directory at /
 * (without one, / says what this server is), 404 for everything else. Files go out brotli- or
 * gzip-compressed when the client accepts it (static-files.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { sendFile, serveDirectory } from './static-files.js';

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

/** `/` of a server without a demo page: what it is, rather than a bare 404. */
const about = (bundle: boolean): string =>
  'rtc-widgets signaling server only (no demo page).\n\n' +
  'It relays WebRTC call setup between the members of a room over socket.io (/socket.io/) for <rtc-room> elements;\n' +
  `point their \`server\` attribute at this URL.${bundle ? ' The browser bundle is at /rtc-widgets.js.' : ''} Health: /healthz.\n`;

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

export function createRequestHandler(options: HttpOptions): RequestHandler {
  const dir = options.staticDir;
  const serveStatic = dir && existsSync(dir) ? serveDirectory(dir) : undefined;
  const bundle = options.bundleFile;
  const chunksDir = bundle ? join(dirname(bundle), CHUNKS) : undefined;
  // Chunk names carry a hash of their content: cached for good, and CORS-readable like the bundle.
  const serveChunks =
    chunksDir && existsSync(chunksDir) ? serveDirectory(chunksDir, { cacheControl: 'public, max-age=31536000, immutable', headers: CROSS_ORIGIN }) : undefined;

  const docs = options.docsDir;
  const serveDocs = docs && existsSync(docs) ? serveDirectory(docs) : undefined;

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
      if (!sendFile(req, res, bundle, 'text/javascript; charset=utf-8', { headers: CROSS_ORIGIN })) send(res, 404, 'bundle not built: run `npm run build`\n');
      return;
    }
    if (bundle && path === '/rtc-widgets.js.map') {
      if (!sendFile(req, res, `${bundle}.map`, 'application/json', { headers: CROSS_ORIGIN })) send(res, 404, 'not found\n');
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
    if (path === '/') return send(res, 200, about(Boolean(bundle && existsSync(bundle))));
    send(res, 404, 'not found\n');
  };
}
