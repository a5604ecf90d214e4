/**
 * A member's identity for protocol 2 (docs/protocol.md §3): a P-256 key pair made with WebCrypto
 * whose private half never leaves this page. The peer id is derived from the public key, and each
 * join signs the connection's challenge, so after a dropped connection (or a server restart) we
 * come back under the same id and nobody else can claim it.
 *
 * The same key signs chat messages (docs/protocol.md §10, `chat`), so that words handed over as
 * history can be checked against their author's peer id: see signText() / verifyText().
 */
import { joinProofText } from './protocol.js';

export interface Identity {
  /** The peer id the server will derive from `key`. */
  readonly id: string;
  /** The public key, base64url SPKI. */
  readonly key: string;
  /** Sign a join: base64url IEEE P1363 signature of joinProofText(challenge, room). */
  prove(challenge: string, room: string): Promise<string>;
  /** Sign any text (UTF-8) with this identity's key: base64url IEEE P1363 ECDSA P-256 / SHA-256. */
  sign(text: string): Promise<string>;
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of base64url text, or null when it is not base64url. */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/** A new identity, or null where WebCrypto is missing (an insecure page): then joins are not resumable. */
export async function createIdentity(): Promise<Identity | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const pair = (await subtle.generateKey(ECDSA, false, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  const hash = new Uint8Array(await subtle.digest('SHA-256', spki));
  const sign = async (text: string) => base64url(new Uint8Array(await subtle.sign(SIGN, pair.privateKey, new TextEncoder().encode(text))));
  return {
    id: base64url(hash.subarray(0, 16)),
    key: base64url(spki),
    prove: (challenge, room) => sign(joinProofText(challenge, room)),
    sign,
  };
}

/** A public key another member announced, checked against the peer id it must belong to. */
export interface PeerKey {
  /** The peer id `key` derives to. */
  readonly id: string;
  readonly key: string;
  readonly cryptoKey: CryptoKey;
}

/**
 * Import a peer's public key (base64url SPKI, ECDSA P-256): resolves with it and the peer id it
 * derives to (base64url of the first 16 bytes of SHA-256(SPKI)), or null when it is not such a key
 * or WebCrypto is missing.
 */
export async function importPeerKey(key: string): Promise<PeerKey | null> {
  const subtle = globalThis.crypto?.subtle;
  const spki = fromBase64url(key);
  if (!subtle || !spki || spki.length > 256) return null;
  try {
    const cryptoKey = await subtle.importKey('spki', spki, ECDSA, true, ['verify']);
    const hash = new Uint8Array(await subtle.digest('SHA-256', spki));
    return { id: base64url(hash.subarray(0, 16)), key, cryptoKey };
  } catch {
    return null;
  }
}

/** Whether `signature` (base64url IEEE P1363) is `key`'s signature of `text` (UTF-8). Never throws. */
export async function verifyText(key: PeerKey, text: string, signature: string): Promise<boolean> {
  const sig = fromBase64url(signature);
  if (!sig || sig.length !== 64) return false;
  try {
    return await globalThis.crypto.subtle.verify(SIGN, key.cryptoKey, sig, new TextEncoder().encode(text));
  } catch {
    return false;
  }
}
