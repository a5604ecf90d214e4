/**
 * A tiny static site of ours on another port of 127.0.0.1 (another origin than the call server):
 * it serves the pages a test puts in `pages` (by path, no query) as HTML, 404 for the rest, and
 * has nothing else (no WebSocket, no /rtc-origin-check). Close it with close().
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Site {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  pages: Map<string, string>;
  close(): Promise<void>;
}

export async function startSite(): Promise<Site> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const body = pages.get((req.url ?? '/').split('?')[0]!);
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pages,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
