/**
 * Safety codes: four words that both ends of a peer connection compute from the two DTLS
 * certificate fingerprints of that connection. If someone in the middle terminates DTLS (e.g. a
 * signaling server that swapped the fingerprints in the SDP), each end sees that someone's
 * certificate instead of the other person's, and the two ends get different words. Reading the
 * words to each other (on the call itself: the voice is hard to fake live) checks that nobody is
 * listening in between.
 *
 *   fingerprint = lower(algorithm) + " " + upper(hex with colons)       e.g. "sha-256 AB:CD:…"
 *   digest      = SHA-256(UTF-8(min(a, b) + "\n" + max(a, b)))         (sorted: both ends agree)
 *   code        = SAFETY_WORDS[digest[0]] … SAFETY_WORDS[digest[3]]    (32 bits)
 */
import { SAFETY_WORDS } from './wordlist.js';

export { SAFETY_WORDS };

/** How many words a code has (one byte each). */
export const SAFETY_CODE_WORDS = 4;

export interface DtlsFingerprints {
  local: string;
  remote: string;
  /** Where they were found: the certificates in `getStats()`, or the descriptions' `a=fingerprint`. */
  source: 'stats' | 'sdp';
}

/** "sha-256 AB:CD:…": the form fingerprints are compared and hashed in. */
export function normalizeFingerprint(algorithm: string, fingerprint: string): string {
  return `${algorithm.trim().toLowerCase()} ${fingerprint.trim().toUpperCase()}`;
}

/** The words of the code for two fingerprints (in either order). */
export async function safetyWords(a: string, b: string): Promise<string[]> {
  const [first, second] = [a, b].sort();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${first}\n${second}`)));
  return Array.from(digest.subarray(0, SAFETY_CODE_WORDS), (byte) => SAFETY_WORDS[byte]!);
}

/** The code for two fingerprints, as words separated by single spaces. */
export async function safetyCodeOf(a: string, b: string): Promise<string> {
  return (await safetyWords(a, b)).join(' ');
}

/** The first `a=fingerprint:` of an SDP (with BUNDLE every section has the same one). */
export function sdpFingerprint(sdp: string | undefined): string | null {
  const m = sdp?.match(/^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/m);
  return m ? normalizeFingerprint(m[1]!, m[2]!) : null;
}

/**
 * The local and remote certificate fingerprints of a connection's DTLS transport: from
 * `getStats()` (the transport's `localCertificateId`/`remoteCertificateId`), else from the
 * `a=fingerprint` lines of the current descriptions (Firefox's stats may lack certificates).
 * Null while there are none (not connected yet).
 */
export async function dtlsFingerprints(pc: RTCPeerConnection): Promise<DtlsFingerprints | null> {
  const stats = await pc.getStats();
  const reports = new Map<string, Record<string, unknown>>();
  stats.forEach((r: Record<string, unknown>) => reports.set(r.id as string, r));
  const cert = (id: unknown): string | null => {
    const c = typeof id === 'string' ? reports.get(id) : undefined;
    return c && typeof c.fingerprint === 'string' && typeof c.fingerprintAlgorithm === 'string'
      ? normalizeFingerprint(c.fingerprintAlgorithm, c.fingerprint)
      : null;
  };
  // The transport in use: the one of the selected candidate pair's, or any with DTLS up.
  const transports = [...reports.values()].filter((r) => r.type === 'transport');
  const pair = [...reports.values()].find((r) => r.type === 'candidate-pair' && r.selected === true);
  const ordered = [
    ...transports.filter((t) => t.selectedCandidatePairId !== undefined || (pair && t.id === pair.transportId)),
    ...transports.filter((t) => t.dtlsState === 'connected'),
    ...transports,
  ];
  for (const t of ordered) {
    const local = cert(t.localCertificateId);
    const remote = cert(t.remoteCertificateId);
    if (local && remote) return { local, remote, source: 'stats' };
  }
  const local = sdpFingerprint(pc.currentLocalDescription?.sdp ?? pc.localDescription?.sdp);
  const remote = sdpFingerprint(pc.currentRemoteDescription?.sdp ?? pc.remoteDescription?.sdp);
  return local && remote ? { local, remote, source: 'sdp' } : null;
}

/** The safety code of a connection that is up; null until DTLS is connected. */
export async function safetyCode(pc: RTCPeerConnection): Promise<string | null> {
  if (pc.connectionState !== 'connected') return null;
  const f = await dtlsFingerprints(pc);
  return f ? safetyCodeOf(f.local, f.remote) : null;
}
