/**
 * Version-2 identities (docs/protocol.md §3): a member's peer id is derived from a P-256 public
 * key it holds, and each join proves possession by signing this connection's challenge. Nothing
 * is stored: any process of a cluster, or one restarted with no memory, verifies the same way, and
 * nobody without the private key can take the id over.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { joinProofText } from 'rtc-widgets/protocol';

/** First 16 bytes of SHA-256 over the key's SPKI DER, base64url (22 characters). */
export function peerIdForKey(spki: Buffer): string {
  return createHash('sha256').update(spki).digest().subarray(0, 16).toString('base64url');
}

/** The peer id `key` proves with `proof` for this challenge and room, or null if it does not verify. */
export function verifyJoinProof(key: string, proof: string, challenge: string, room: string): string | null {
  try {
    const spki = Buffer.from(key, 'base64url');
    const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return null;
    const signature = Buffer.from(proof, 'base64url');
    if (signature.length !== 64) return null;
    const ok = verify('sha256', Buffer.from(joinProofText(challenge, room), 'utf8'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
    return ok ? peerIdForKey(spki) : null;
  } catch {
    return null; // not a key at all
  }
}
