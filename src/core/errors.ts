/** Typed errors the core reports; `message` is written for the person in the call. */
export type RtcErrorCode =
  | 'permission-denied'
  | 'no-device'
  | 'device-busy'
  | 'insecure-context'
  | 'media-failed'
  | 'signaling-failed'
  /** No call server was given, and the page's own address is not one (or it has none): set `server`. `details.url`: what was tried. */
  | 'no-server'
  /** Nothing answered as a call server at `details.url`: is it running, is the port right? */
  | 'server-unreachable'
  /** The call server refuses this page's origin (`details.origin`): add it to ALLOWED_ORIGINS on the server. */
  | 'origin-not-allowed'
  | 'room-full'
  | 'join-failed'
  | 'peer-failed'
  | 'protocol-error'
  /** A rejoin after a dropped connection came too late to continue as the same participant. */
  | 'resume-expired'
  /** The active camera or microphone went away; the call fell back to the default one. */
  | 'device-lost'
  /** Screen sharing could not start (cancelling the picker is not an error). */
  | 'screen-share-failed'
  /** A peer's signal was refused: not sealed with this room's key, or sealed without one here (docs/security.md). */
  | 'signal-refused'
  // Access (protocol 3): the server refused the join token, or a host acted.
  | 'token-required'
  | 'token-invalid'
  | 'token-expired'
  | 'token-room'
  /** A host removed us; the server refuses this token and identity in the room for a while. */
  | 'removed'
  | 'room-locked'
  /** Waiting in the lobby (the session waits for a host; not shown as a failure). */
  | 'in-lobby'
  /** A host did not let us in from the lobby. */
  | 'denied'
  /** Our role does not allow it (a viewer publishing, a guest running the room). */
  | 'not-allowed'
  /** A host ended the call for everyone. */
  | 'room-ended';

export type MediaKind = 'audio' | 'video';

/** What an error is about, for words that name it (`url`, `origin`: a failed connection to the call server). */
export interface RtcErrorDetails {
  kind?: MediaKind;
  peerId?: string;
  url?: string;
  origin?: string;
  cause?: unknown;
}

export class RtcError extends Error {
  override readonly name = 'RtcError';
  constructor(
    readonly code: RtcErrorCode,
    message: string,
    readonly details: RtcErrorDetails = {},
  ) {
    super(message);
  }
}

const deviceName = { audio: 'microphone', video: 'camera' } as const;

/**
 * Turn a getUserMedia rejection into an RtcError that says what happened and what to do. `chosen`:
 * the user picked this device (by `label`, when known), so it is named back and "not found" means
 * "pick another", not "no camera at all".
 */
export function mediaError(err: unknown, kind: MediaKind, chosen?: { label?: string }): RtcError {
  const device = deviceName[kind];
  const which = chosen?.label ? `“${chosen.label}”` : chosen ? `The chosen ${device}` : `The ${device}`;
  const name = (err as { name?: string } | null)?.name ?? '';
  const details = { kind, cause: err };
  if (typeof globalThis.isSecureContext === 'boolean' && !globalThis.isSecureContext)
    return new RtcError('insecure-context', `The ${device} needs a secure page (https:// or localhost).`, details);
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new RtcError(
        'permission-denied',
        `Access to the ${device} was blocked. Allow it in the browser's site settings (the icon in the address bar), then turn it on again.`,
        details,
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return chosen
        ? new RtcError('no-device', `${which} is not available. Choose another ${device}.`, details)
        : new RtcError('no-device', `No ${device} was found. You can still join to listen and watch.`, details);
    case 'NotReadableError':
    case 'AbortError':
      return new RtcError('device-busy', `${which} is in use by another application or could not be started.`, details);
    default:
      return new RtcError('media-failed', `${which} could not be started.`, details);
  }
}
