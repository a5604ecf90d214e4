import type { MediaRequest } from '../../core/media/local-media.js';

/** What `<rtc-room media="…">` asks of the session. */
export interface RoomMedia {
  /** The devices to open (undefined: the session's default, camera and microphone). */
  media?: MediaRequest;
  /** Join as a viewer: no device at all, and the others see us as one. */
  viewer: boolean;
  /** Tiles show no video: compact audio tiles with initials. */
  audioOnly: boolean;
}

/**
 * `media` attribute → session options. Words, space-separated: `audio video` (default), `audio`
 * (an audio room: no camera is ever asked for), `video` (a camera without a microphone), or `none`
 * (a viewer). Unknown words are ignored; nothing known left means the default.
 */
export function parseRoomMedia(value: string | null | undefined): RoomMedia {
  const words = new Set((value ?? '').toLowerCase().split(/\s+/).filter(Boolean));
  if (words.has('none')) return { viewer: true, audioOnly: false };
  const audio = words.has('audio');
  const video = words.has('video');
  if (audio === video) return { viewer: false, audioOnly: false };
  return { media: { audio, video }, viewer: false, audioOnly: audio };
}
