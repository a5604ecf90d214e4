import { RtcError } from '../errors.js';

/** The browser can share the screen (desktop browsers; not iOS or most Android browsers). */
export function canShareScreen(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
}

/**
 * Ask the user for a screen, window or tab to share. Resolves with a stream of its video track
 * and, where the browser offers it (a Chromium tab or screen, when the user ticks "share audio"),
 * its sound; or null when the user cancelled the picker (not an error). Other failures reject
 * with 'screen-share-failed'.
 */
export async function captureScreen(): Promise<MediaStream | null> {
  if (typeof globalThis.isSecureContext === 'boolean' && !globalThis.isSecureContext)
    throw new RtcError('screen-share-failed', 'Screen sharing needs a secure page (https:// or localhost).');
  if (!canShareScreen()) throw new RtcError('screen-share-failed', 'This browser cannot share the screen.');
  let stream: MediaStream;
  try {
    // The screen goes out beside the camera on transceivers of its own (docs/protocol.md §10), so
    // its sound can too. Browsers that cannot capture it just give no audio track.
    stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
  } catch (err) {
    const error = screenShareError(err);
    if (error) throw error;
    return null;
  }
  const [track] = stream.getVideoTracks();
  if (!track) {
    for (const t of stream.getTracks()) t.stop();
    throw new RtcError('screen-share-failed', 'The browser shared no picture of the screen.');
  }
  // Text and lines stay sharp; the encoder may drop frames instead of resolution.
  if ('contentHint' in track && !track.contentHint) track.contentHint = 'detail';
  const [audio] = stream.getAudioTracks();
  for (const t of stream.getAudioTracks().slice(1)) t.stop();
  return new MediaStream(audio ? [track, audio] : [track]);
}

/** getDisplayMedia's rejection as an RtcError; null when the user simply cancelled the picker. */
export function screenShareError(err: unknown): RtcError | null {
  const { name = '', message = '' } = (err ?? {}) as { name?: string; message?: string };
  const details = { cause: err };
  switch (name) {
    case 'NotAllowedError':
      // Chromium reports the operating system's refusal (macOS screen recording) with this name too.
      if (/system/i.test(message))
        return new RtcError(
          'screen-share-failed',
          "Your computer does not let the browser record the screen. Allow it in the system's privacy settings, then try again.",
          details,
        );
      return null;
    case 'InvalidStateError':
      return new RtcError('screen-share-failed', 'Screen sharing can only start from a click or key press.', details);
    case 'NotFoundError':
      return new RtcError('screen-share-failed', 'There is no screen or window to share.', details);
    case 'NotReadableError':
    case 'AbortError':
      return new RtcError('screen-share-failed', 'The screen could not be captured; another application may be blocking it.', details);
    default:
      return new RtcError('screen-share-failed', 'Screen sharing could not start.', details);
  }
}
