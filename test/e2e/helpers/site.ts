/**
 * A tiny static site of ours on another port of 127.0.0.1 (another origin than the call server):
 * it serves the pages a test puts in `pages` (by path, no query) as HTML, with the extra response
 * headers it puts in `headers` for that path (a Content-Security-Policy, say), 404 for the rest,
 * and has nothing else (no WebSocket, no /rtc-origin-check). Close it with close().
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Site {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  pages: Map<string, string>;
  headers: Map<string, Record<string, string>>;
  close(): Promise<void>;
}

export async function startSite(): Promise<Site> {
  const pages = new Map<string, string>();
  const headers = new Map<string, Record<string, string>>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const body = pages.get(path);
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers.get(path) }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pages,
    headers,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
