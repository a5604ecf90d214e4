/**
 * Why the signaling connection could not be made, told apart so the message names the fix: no
 * call server at the address we guessed (the page's own), none at the address given, or one that
 * refuses this page's origin. A browser cannot read why a WebSocket failed, so after a failure we
 * ask the server's GET /rtc-origin-check (docs/protocol.md §1), which any origin may read.
 */
import { RtcError } from '../errors.js';
import { ORIGIN_CHECK_PATH, type OriginCheckReply } from './protocol.js';
/** How long the check may take: about socket.io's own connect timeout. */
const CHECK_TIMEOUT_MS = 5000;

/**
 * What the check found: 'unreachable' (no HTTP answer), 'not-ours' (an answer, but not an
 * rtc-widgets call server's), or the server's verdict on our origin.
 */
export type OriginCheck = { kind: 'unreachable' } | { kind: 'not-ours' } | { kind: 'answer'; allowed: boolean };

/** Where the connection went, as the person fixing it needs to read it. */
export interface ConnectTarget {
  /** The server's URL, as tried (scheme, host, port). */
  url: string;
  /** The page's origin (what the server checks). */
  origin: string;
  /** No server was given: `url` is the page's own origin. */
  guessed: boolean;
}

/**
 * `server` as socket.io reads it: a URL without a scheme ("localhost:8080") gets the page's (or
 * https:). Only its origin matters here.
 */
export function serverUrl(server: string, page?: { protocol: string }): string {
  const withScheme = /^(https?|wss?):\/\//i.test(server) ? server : `${page?.protocol ?? 'https:'}//${server.replace(/^\/\//, '')}`;
  try {
    const url = new URL(withScheme);
    const scheme = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
    return `${scheme}//${url.host}`;
  } catch {
    return server;
  }
}

/**
 * The page has an http(s) origin a call server could live at. A sandboxed frame's is "null"; a
 * file's is "null" in Firefox and "file://" in Chromium.
 */
export function hasOrigin(origin: string | undefined): origin is string {
  return !!origin && /^https?:\/\//.test(origin);
}

/** No server was given and the page has no origin to guess it from: nothing to try. */
export function noServerError(): RtcError {
  return new RtcError(
    'no-server',
    'No call server was given, and this page has no web address to use instead. Set the "server" attribute of <rtc-room> (or the "server" option of the session) to the call server’s URL.',
  );
}

/** The error a failed connection gets from the check; undefined when the check cannot tell (the origin is allowed). */
export function connectError(check: OriginCheck, target: ConnectTarget, cause?: unknown): RtcError | undefined {
  const details = { url: target.url, origin: target.origin, cause };
  if (check.kind === 'answer') {
    if (check.allowed) return undefined;
    return new RtcError(
      'origin-not-allowed',
      `The call server at ${target.url} does not accept calls from this page (${target.origin}). Add ${target.origin} to ALLOWED_ORIGINS on the server.`,
      details,
    );
  }
  if (target.guessed)
    return new RtcError(
      'no-server',
      `No call server was given, and this page’s own address (${target.url}) is not one. Set the "server" attribute of <rtc-room> (or the "server" option of the session) to the call server’s URL.`,
      details,
    );
  return new RtcError('server-unreachable', `Could not reach the call server at ${target.url}. Is the server running, and is the port right?`, details);
}

/** Ask the server at `url` whether our origin may connect (never rejects). */
export async function checkOrigin(url: string, fetcher: typeof fetch = globalThis.fetch): Promise<OriginCheck> {
  let response: Response;
  try {
    response = await fetcher(new URL(ORIGIN_CHECK_PATH, url), {
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
  } catch {
    return { kind: 'unreachable' };
  }
  if (!response.ok) return { kind: 'not-ours' };
  const body: unknown = await response.json().catch(() => undefined);
  const answer = body as Partial<Record<keyof OriginCheckReply, unknown>> | undefined;
  if (answer?.service !== 'rtc-widgets' || typeof answer.allowed !== 'boolean') return { kind: 'not-ours' };
  return { kind: 'answer', allowed: answer.allowed };
}
