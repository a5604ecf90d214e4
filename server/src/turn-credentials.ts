import { createHmac } from 'node:crypto';
import type { IceServer } from 'rtc-widgets/protocol';

export interface TurnConfig {
  urls: string[];
  /** coturn `static-auth-secret` (use-auth-secret mode). */
  secret: string;
  ttlSeconds: number;
}

export interface IceConfig {
  stunUrls: string[];
  turn?: TurnConfig;
}

/**
 * coturn's TURN REST scheme: username `<expiry unix seconds>:<user>`, password
 * base64(HMAC-SHA1(secret, username)). coturn recomputes it from the shared secret and refuses
 * it once the expiry has passed, so the server keeps no per-user state.
 */
export function turnCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** ICE servers for one socket; TURN credentials are minted fresh on every call. */
export function iceServersFor(config: IceConfig, user: string, nowMs = Date.now()): { iceServers: IceServer[]; iceServersTtl: number } {
  const iceServers: IceServer[] = [];
  if (config.stunUrls.length) iceServers.push({ urls: [...config.stunUrls] });
  const turn = config.turn;
  if (!turn) return { iceServers, iceServersTtl: 0 };
  const username = `${Math.floor(nowMs / 1000) + turn.ttlSeconds}:${user}`;
  iceServers.push({ urls: [...turn.urls], username, credential: turnCredential(turn.secret, username) });
  return { iceServers, iceServersTtl: turn.ttlSeconds };
}
