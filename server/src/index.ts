/**
 * rtc-widgets-server as a library: start the signaling server on its own port, or attach it to an
 * http.Server an app already has (README.md of this package). The `rtc-widgets-server` bin
 * (cli.ts) is the same server configured from the environment.
 */
export { createSignalServer, MAX_MESSAGE_BYTES, type SignalServer, type SignalServerOptions } from './signal-server.js';
export { mintToken, parseTtl, MIN_SECRET_LENGTH, type MintOptions } from './token.js';
export type { AbuseLimitOptions } from './limits.js';
