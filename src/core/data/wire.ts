/**
 * The peer-to-peer message formats of the `chat` and `files` data channels (docs/protocol.md §10,
 * P2P message format version 2). Everything that arrives here comes from a stranger: frames are
 * size-checked before parsing, JSON is parsed without throwing, and every message is validated
 * with these schemas; anything else is dropped.
 */
import * as v from 'valibot';
import { cleanDisplayName } from '../signaling/protocol.js';

/**
 * P2P message format version; an incompatible change moves to new negotiated channel ids.
 * 2: files need the receiver's consent (`offer` → `accept`), so `files` moved from id 2 to id 3.
 */
export const P2P_VERSION = 2;

/** Negotiated data channel ids (`control` is 0, see PeerLink). `files` was 2 in version 1. */
export const CHANNEL_IDS = { chat: 1, files: 3 } as const;

export const DATA_LIMITS = {
  /** Characters (UTF-16 code units) in one chat message. */
  text: 4000,
  /** A text frame on the chat channel (a 4000-character message escapes to well below this). */
  chatFrame: 32 * 1024,
  /** A text (control) frame on the files channel. */
  fileFrame: 4096,
  /** Messages handed to a newcomer (and the most a newcomer takes). */
  history: 100,
  /** Characters of `hist` frames a newcomer takes in all from the peer handing history over. */
  historyChars: 1024 * 1024,
  /** How long after a chat channel opens its peer may hand history over (ms). */
  historyWindowMs: 10_000,
  /** A file name as announced, before sanitising. */
  fileNameIn: 1024,
  /** A file name after sanitising. */
  fileName: 200,
  /** Largest file accepted by default (4 GiB); see FileTransfersOptions.maxFileSize. */
  fileSize: 4 * 1024 ** 3,
  /** Transfers one peer may have running towards us at once. */
  incomingPerPeer: 8,
  /** Offers one peer may have waiting for our answer at once; more are declined ('throttled'). */
  pendingOffersPerPeer: 4,
  /** Offers one peer may make us in a minute; more are declined ('throttled'). */
  offersPerMinute: 20,
  /** An offer nobody answered is withdrawn after this long (ms). */
  offerTimeoutMs: 60_000,
} as const;

const id = v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/));
/** A P-256 public key, base64url SPKI (122 characters). */
const publicKey = v.pipe(v.string(), v.regex(/^[\w-]{1,256}$/));
/** A P-256 ECDSA signature, base64url IEEE P1363 (86 characters). */
const signature = v.pipe(v.string(), v.regex(/^[\w-]{86}$/));
/** A signed time: integer ms since the epoch. */
const signedTime = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const text = v.pipe(v.string(), v.minLength(1), v.maxLength(DATA_LIMITS.text));
/** Transfer number chosen by the sender: a positive uint32, as in the binary chunk header. */
const n = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(0xffffffff));
/** A SHA-256 digest: 64 lower-case hex digits. */
const hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const hex16 = v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/));

export const ChatWireSchema = v.variant('t', [
  /** The sender's public key (P2P 2): its peer id derives from it; it signs the sender's messages. */
  v.object({ t: v.literal('hello'), key: publicKey }),
  /** A message typed by the sender of this frame; signed (time, sig) when the sender has a key. */
  v.object({ t: v.literal('msg'), id, text, time: v.optional(signedTime), sig: v.optional(signature) }),
  /** One message of the sender's recent history, handed to a newcomer (oldest first), with its author's key and signature. */
  v.object({
    t: v.literal('hist'),
    id,
    from: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    name: v.pipe(v.string(), v.maxLength(256), v.transform(cleanDisplayName)),
    time: v.pipe(v.number(), v.finite()),
    text,
    key: v.optional(publicKey),
    sig: v.optional(signature),
  }),
  /**
   * P2P 1.10: a live message of someone we are not connected to, forwarded by a broadcast's
   * presenter to its viewers (who connect only to presenters), with its author's key and signature.
   */
  v.object({
    t: v.literal('fwd'),
    id,
    from: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    name: v.pipe(v.string(), v.maxLength(256), v.transform(cleanDisplayName)),
    time: signedTime,
    text,
    key: publicKey,
    sig: signature,
  }),
]);
export type ChatWire = v.InferOutput<typeof ChatWireSchema>;

/**
 * The exact text a chat message's author signs (UTF-8, then ECDSA P-256 / SHA-256): a JSON array,
 * so no field can run into the next. `time` is the author's, in integer ms since the epoch.
 */
export function chatSignedText(room: string, from: string, id: string, time: number, text: string): string {
  return JSON.stringify(['rtc-widgets chat 1', room, from, id, time, text]);
}

const REASONS = ['cancelled', 'too-large', 'busy', 'mismatch', 'error', 'declined', 'expired', 'throttled'] as const;
export type StopReason = (typeof REASONS)[number];

export const FileWireSchema = v.variant('t', [
  // sender → receiver
  v.object({
    t: v.literal('offer'),
    n,
    name: v.pipe(v.string(), v.maxLength(DATA_LIMITS.fileNameIn), v.transform(sanitizeFileName)),
    size: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
    mime: v.optional(v.pipe(v.string(), v.maxLength(255), v.transform(cleanMime)), ''),
    /** P2P 1.11: the hashes the sender can send besides the whole file's SHA-256 (names unknown here are ignored). */
    hashes: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(8)), []),
  }),
  /**
   * `sha256`: of the whole file; `sha256Blocks` (P2P 1.11) or `xxh64` (P2P 1.12), when the receiver
   * chose that hash in `accept`: the block hash, or XXH64 of the file.
   */
  v.object({ t: v.literal('end'), n, sha256: v.optional(hex64), sha256Blocks: v.optional(hex64), xxh64: v.optional(hex16) }),
  v.object({ t: v.literal('cancel'), n }),
  // receiver → sender
  /** Send the data now (P2P 2: nothing follows an offer before this); `hash` (P2P 1.11): one of the offer's `hashes`, to be sent instead of `sha256`. */
  v.object({ t: v.literal('accept'), n, hash: v.optional(v.pipe(v.string(), v.maxLength(64))) }),
  v.object({ t: v.literal('done'), n }),
  v.object({ t: v.literal('stop'), n, reason: v.fallback(v.picklist(REASONS), 'error') }),
]);
export type FileWire = v.InferOutput<typeof FileWireSchema>;

/** Binary frames on the files channel: a 4-byte big-endian transfer number, then file bytes. */
export const CHUNK_HEADER = 4;

/** Parse one text frame: null for anything too long, not JSON, or not matching `schema`. */
export function parseFrame<S extends v.GenericSchema>(schema: S, data: unknown, maxLength: number): v.InferOutput<S> | null {
  if (typeof data !== 'string' || data.length > maxLength) return null;
  try {
    const r = v.safeParse(schema, JSON.parse(data));
    return r.success ? r.output : null;
  } catch {
    return null;
  }
}

/** 16 random hex digits (crypto.randomUUID needs a secure context; data channels do not). */
export function randomId(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(8)));
}

/**
 * A file name from a stranger, made safe to offer as a download name on any OS: no path, no
 * control, bidi-override or reserved characters, no leading dots, no Windows device names,
 * bounded length (the extension kept). Never empty.
 */
export function sanitizeFileName(raw: string): string {
  let name = raw
    .replace(/[\p{Cc}\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu, '')
    .replace(/^.*[\\/]/, '') // keep the last path segment
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name)) name = `_${name}`;
  const chars = Array.from(name);
  if (chars.length > DATA_LIMITS.fileName) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? Array.from(name.slice(dot)).slice(0, 16) : [];
    name = chars.slice(0, DATA_LIMITS.fileName - ext.length).join('') + ext.join('');
  }
  return name || 'file';
}

/** A MIME type as announced, or '' when it does not look like one (it is only ever informative). */
function cleanMime(raw: string): string {
  const mime = raw.toLowerCase().split(';')[0].trim();
  return /^[a-z0-9][\w.+-]*\/[\w.+-]+$/.test(mime) ? mime : '';
}

/** Lower-case hex of a digest. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
