/**
 * GET /rtc-origin-check (docs/protocol.md §1, Origin check): whether the requesting page's Origin
 * may open a socket.io connection here. A browser cannot read why a WebSocket handshake failed
 * (the 403 of a refused Origin looks like a server that is down), so after a failed connection the
 * client asks this, readable from any origin, to tell "origin not allowed" from "unreachable".
 * It says only what the handshake itself would say to that Origin; the list stays private.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ORIGIN_CHECK_PATH, type OriginCheckReply } from 'rtc-widgets/protocol';

/** Longest Origin header echoed back (a real one is a scheme, a host and a port). */
const MAX_ORIGIN = 512;

/** The same rule as the handshake's: no list, or no Origin header (not a browser), is allowed. */
export function originAllowed(origins: string[] | '*', origin: string | undefined): boolean {
  return origins === '*' || !origin || origins.includes(origin);
}

/** Wrap `next`: answer GET/HEAD /rtc-origin-check, pass everything else on. */
export function withOriginCheck(origins: string[] | '*', next: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if ((req.url ?? '/').split('?')[0] !== ORIGIN_CHECK_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return next(req, res);
    const origin = req.headers.origin;
    const echoed = origin && origin.length <= MAX_ORIGIN ? origin : null;
    const reply: OriginCheckReply = { service: 'rtc-widgets', allowed: originAllowed(origins, origin), origin: echoed };
    const body = JSON.stringify(reply);
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      // Readable by the page that was refused: that is its purpose. No credentials, nothing private.
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
