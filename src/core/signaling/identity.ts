/**
 * A member's identity for protocol 2 (docs/protocol.md §3): a P-256 key pair made with WebCrypto
 * whose private half never leaves this page. The peer id is derived from the public key, and each
 * join signs the connection's challenge, so after a dropped connection (or a server restart) we
 * come back under the same id and nobody else can claim it.
 */
import { joinProofText } from './protocol.js';

export interface Identity {
  /** The peer id the server will derive from `key`. */
  readonly id: string;
  /** The public key, base64url SPKI. */
  readonly key: string;
  /** Sign a join: base64url IEEE P1363 signature of joinProofText(challenge, room). */
  prove(challenge: string, room: string): Promise<string>;
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new identity, or null where WebCrypto is missing (an insecure page): then joins are not resumable. */
export async function createIdentity(): Promise<Identity | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  const hash = new Uint8Array(await subtle.digest('SHA-256', spki));
  return {
    id: base64url(hash.subarray(0, 16)),
    key: base64url(spki),
    async prove(challenge, room) {
      const text = new TextEncoder().encode(joinProofText(challenge, room));
      const signature = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, text);
      return base64url(new Uint8Array(signature));
    },
  };
}
