/**
 * Join tokens (protocol 3, docs/protocol.md §4): a compact JWT signed with HS256 by the app's
 * backend, which shares the secret with this server. It names the room, the member's display name
 * and role, and expires. The server keeps no state about tokens, except bans (by `jti`, or by the
 * token's hash when it has none).
 */
import { createHash } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { ROLES, cleanDisplayName, type ErrorCode, type Role } from 'rtc-widgets/protocol';

/** HS256 wants a key of at least 256 bits: refuse shorter secrets outright. */
export const MIN_SECRET_LENGTH = 32;

export interface TokenClaims {
  room: string;
  /** Cleaned display name; absent when the token has none (the join's `name` is then used). */
  name?: string;
  role: Role;
  /** Expiry, seconds since the epoch. */
  exp: number;
  jti?: string;
  sub?: string;
  /** What a ban on this token is keyed by: `jti`, else a hash of the token itself. */
  banKey: string;
}

export type VerifyResult =
  { ok: true; claims: TokenClaims } | { ok: false; code: Extract<ErrorCode, 'token-invalid' | 'token-expired' | 'token-room'>; message: string };

export function checkSecret(secret: string): Uint8Array {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new RangeError(`the token secret must have at least ${MIN_SECRET_LENGTH} characters`);
  }
  return new TextEncoder().encode(secret);
}

/** Seconds from "90", "90s", "15m", "1h", "2d". */
export function parseTtl(text: string): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new RangeError(`ttl must be a positive number of seconds, or like 15m, 1h, 2d; got "${text}"`);
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}

export interface MintOptions {
  room: string;
  name?: string;
  role?: Role;
  /** Seconds the token stays valid (default 3600). */
  ttlSeconds?: number;
  jti?: string;
  sub?: string;
}

/** A join token, as an app backend would make it (see docs/protocol.md for the same in a few lines of jose). */
export async function mintToken(secret: string, o: MintOptions): Promise<string> {
  const key = checkSecret(secret);
  const role = o.role ?? 'guest';
  if (!(ROLES as readonly string[]).includes(role)) throw new RangeError(`role must be one of ${ROLES.join(', ')}`);
  const claims: Record<string, unknown> = { room: o.room, role };
  if (o.name !== undefined) claims.name = o.name;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (o.ttlSeconds ?? 3600));
  if (o.jti) jwt.setJti(o.jti);
  if (o.sub) jwt.setSubject(o.sub);
  return jwt.sign(key);
}

/**
 * Check a token's signature (HS256 only), expiry (required) and claims; with `room`, also that it
 * is for that room. Never throws.
 */
export async function verifyToken(secret: Uint8Array, token: string, room?: string): Promise<VerifyResult> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], requiredClaims: ['exp'], clockTolerance: 5 }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { ok: false, code: 'token-expired', message: 'the join token has expired: get a new one' };
    return { ok: false, code: 'token-invalid', message: `the join token does not verify (${(err as { code?: string }).code ?? 'malformed'})` };
  }
  const { room: claimRoom, name, role = 'guest', jti, sub, exp } = payload;
  if (typeof claimRoom !== 'string' || !claimRoom) return { ok: false, code: 'token-invalid', message: 'the join token has no room claim' };
  if (name !== undefined && typeof name !== 'string') return { ok: false, code: 'token-invalid', message: 'the name claim is not a string' };
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    return { ok: false, code: 'token-invalid', message: `the role claim must be one of ${ROLES.join(', ')}` };
  }
  if (room !== undefined && claimRoom !== room) return { ok: false, code: 'token-room', message: 'the join token is for another room' };
  const banKey = typeof jti === 'string' && jti ? `jti:${jti}` : `sha:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`;
  return {
    ok: true,
    claims: {
      room: claimRoom,
      name: typeof name === 'string' ? cleanDisplayName(name) : undefined,
      role: role as Role,
      exp: exp as number,
      jti: typeof jti === 'string' ? jti : undefined,
      sub: typeof sub === 'string' ? sub : undefined,
      banKey,
    },
  };
}
