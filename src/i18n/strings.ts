/**
 * Every word rtc-widgets shows or says (labels, accessible names, tooltips, announcements,
 * placeholders, statuses, errors), in English. Other languages (src/i18n/locales/) are typed
 * `Strings`: a key missing there is a type error. Entries that take values are functions, so a
 * language can order the words and choose its plural forms. Numbers reach them as numbers.
 */
import type { MediaKind, RtcError, RtcErrorCode, RtcErrorDetails } from '../core/errors.js';
import type { callStrings } from './en.js';

/**
 * English words of the pre-join step and the room's own views: in the first script. The call's
 * words are in en.ts (with the whole English table), which only the call's elements import; an
 * element of the first script sees only these (`Localize<FirstStrings>`).
 */
const first = {
  // Room: the views around the call
  noRoom: 'No room to join.',
  joining: 'Joining…',
  waitingForHost: 'Waiting for the host to let you in…',
  leave: 'Leave',
  callEnded: 'The call has ended.',
  joinAgain: 'Join again',
  youLeft: 'You left the call',
  rejoin: 'Rejoin',
  couldNotJoin: 'Could not join the call.',
  tryAgain: 'Try again',
  askedToMute: (name: string, kind: MediaKind) =>
    `${name} asked you to ${kind === 'audio' ? 'mute: your microphone is off' : 'turn your camera off: it is off'}.`,
  backInAudience: 'You are back in the audience: your camera and microphone are off.',
  onStage: 'You are on stage: everyone watching sees and hears you.',
  loadFailed: 'Could not load the call: check the connection and reload the page.',
  partLoadFailed: 'Part of the call could not be loaded: check the connection.',

  // Pre-join
  yourName: 'Your name',
  join: 'Join',
  joinAsViewer: 'Join as viewer',
  noCallToJoin: 'No call to join',
  you: 'You',
  microphoneLevel: 'Microphone level',
  liveStreamNote:
    'This is a live stream: you will watch it, without your camera or microphone. If nobody presents yet, you start it: then your camera and microphone are asked for.',
  viewerNote: 'You are joining as a viewer: you will see and hear the call, without your camera or microphone.',

  // Devices
  devices: 'Devices',
  camera: 'Camera',
  microphone: 'Microphone',
  speaker: 'Speaker',
  noCamera: 'No camera found',
  noMicrophone: 'No microphone found',
  noSpeaker: 'No speaker found',
  switchedTo: (device: string) => `Switched to ${device}`,

  /**
   * What the user reads about an error. English shows the core's own message (it names devices and
   * people); other languages say it by `code` (and `details.kind`: camera or microphone).
   */
  error: (e: RtcError): string => e.message,
};
export const enFirst = first;
export type FirstStrings = typeof first;

/** A language's table: every key of the English one (a missing key is a type error). */
export type Strings = typeof first & typeof callStrings;

/**
 * Error texts by code, for languages other than English (`kind`: the camera's or the microphone's
 * error, when it is one; `details`: e.g. the server's `url` and the page's `origin` of a failed connection).
 */
export type ErrorTexts = Record<RtcErrorCode, string | ((kind: MediaKind | undefined, details: RtcErrorDetails) => string)>;

/** `error` for a language: the text of the error's code. */
export function errorsByCode(texts: ErrorTexts, fallback: string): (e: RtcError) => string {
  return (e) => {
    const text = texts[e.code] ?? fallback;
    return typeof text === 'function' ? text(e.details.kind, e.details) : text;
  };
}
