/** Typed errors the core reports; `message` is written for the person in the call. */
export type RtcErrorCode =
  | 'permission-denied'
  | 'no-device'
  | 'device-busy'
  | 'insecure-context'
  | 'media-failed'
  | 'signaling-failed'
  | 'room-full'
  | 'join-failed'
  | 'peer-failed'
  | 'protocol-error';

export type MediaKind = 'audio' | 'video';

export class RtcError extends Error {
  override readonly name = 'RtcError';
  constructor(
    readonly code: RtcErrorCode,
    message: string,
    readonly details: { kind?: MediaKind; peerId?: string; cause?: unknown } = {},
  ) {
    super(message);
  }
}

const deviceName = { audio: 'microphone', video: 'camera' } as const;

/** Turn a getUserMedia rejection into an RtcError that says what happened and what to do. */
export function mediaError(err: unknown, kind: MediaKind): RtcError {
  const device = deviceName[kind];
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
      return new RtcError('no-device', `No ${device} was found. You can still join to listen and watch.`, details);
    case 'NotReadableError':
    case 'AbortError':
      return new RtcError(
        'device-busy',
        `The ${device} is in use by another application or could not be started.`,
        details,
      );
    default:
      return new RtcError('media-failed', `The ${device} could not be started.`, details);
  }
}
