/**
 * Sealed signaling: descriptions and candidates encrypted end to end with a key that only the
 * people holding the room's invite link have (the `#key=` fragment, which browsers never send to
 * a server). The signaling server relays `{ sealed }` ciphertext it can neither read nor alter:
 * a server that rewrites the SDP (e.g. swaps the DTLS fingerprint to put itself in the middle)
 * produces something that does not open, and is refused.
 *
 * WebCrypto only. The format is specified byte by byte in docs/protocol.md (sealed signals):
 *
 *   key   = HKDF-SHA-256(ikm = UTF-8(secret), salt = UTF-8("rtc-widgets room key\n" + room),
 *                        info = UTF-8("rtc-widgets sealed signal v1"), 32 bytes) → AES-256-GCM
 *   aad   = UTF-8("rtc-widgets sealed signal v1\n" + room + "\n" + from + "\n" + to)
 *   nonce = 12 random bytes, new for every signal
 *   sealed = base64url-without-padding(nonce || AES-GCM(key, nonce, aad, UTF-8(JSON(signal))))
 */
import * as v from 'valibot';
import { LIMITS, PeerSignalSchema, type PeerSignal } from './protocol.js';

/** The label in the key derivation and in every signal's additional data: a new format gets a new label. */
export const SEALED_LABEL = 'rtc-widgets sealed signal v1';
const SALT_PREFIX = 'rtc-widgets room key\n';
const NONCE_BYTES = 12;
/** AES-GCM's authentication tag, appended to the ciphertext by WebCrypto. */
const TAG_BYTES = 16;

export interface Sealer {
  /** Encrypt `signal` from peer `from` to peer `to`. */
  seal(from: string, to: string, signal: PeerSignal): Promise<{ sealed: string }>;
  /** Decrypt and validate a sealed signal from `from` to `to`; null if it does not open (wrong key, altered, replayed to someone else, not a signal). */
  open(from: string, to: string, data: { sealed: string }): Promise<PeerSignal | null>;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function toBase64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Strict base64url without padding; null when `s` is anything else. */
export function fromBase64url(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** A fresh room secret: 16 random bytes (128 bits) in base64url, 22 characters. Put it in the invite link's fragment (`#key=…`). */
export function newRoomSecret(): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

export { roomSecretFromHash } from './room-secret.js';

/** The sealer of one room: derives the AES-GCM key once (HKDF-SHA-256), then seals and opens signals. */
export async function roomSealer(secret: string, room: string): Promise<Sealer> {
  if (!secret) throw new TypeError('The room secret is empty.');
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new TypeError('Sealed signaling needs WebCrypto (a secure context: https:// or localhost).');
  const ikm = await subtle.importKey('raw', utf8.encode(secret), 'HKDF', false, ['deriveKey']);
  const key = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8.encode(SALT_PREFIX + room), info: utf8.encode(SEALED_LABEL) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  const aad = (from: string, to: string) => utf8.encode(`${SEALED_LABEL}\n${room}\n${from}\n${to}`);

  return {
    async seal(from, to, signal) {
      const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
      const plain = utf8.encode(JSON.stringify(signal));
      const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad(from, to) }, key, plain));
      const out = new Uint8Array(NONCE_BYTES + ct.length);
      out.set(nonce);
      out.set(ct, NONCE_BYTES);
      const sealed = toBase64url(out);
      if (sealed.length > LIMITS.sealed) throw new RangeError('The signal is too large to seal.');
      return { sealed };
    },
    async open(from, to, data) {
      try {
        if (typeof data?.sealed !== 'string' || data.sealed.length > LIMITS.sealed) return null;
        const bytes = fromBase64url(data.sealed);
        if (!bytes || bytes.length < NONCE_BYTES + TAG_BYTES) return null;
        const plain = await subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.subarray(0, NONCE_BYTES), additionalData: aad(from, to) },
          key,
          bytes.subarray(NONCE_BYTES),
        );
        const parsed = v.safeParse(PeerSignalSchema, JSON.parse(utf8Decoder.decode(plain)));
        return parsed.success ? parsed.output : null;
      } catch {
        return null;
      }
    },
  };
}
