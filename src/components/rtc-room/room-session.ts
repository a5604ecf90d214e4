/**
 * The call engine as `<rtc-room>` makes it: loaded with `import()` once the pre-join step shows,
 * so the page's first script carries only what that step needs (see CallSetup).
 */
import { RtcSession } from '../../core/session.js';
import { parseFilePolicy } from '../../core/data/file-transfer.js';
import type { CallSetup } from '../../core/setup/call-setup.js';
import type { MediaRequest } from '../../core/media/local-media.js';
import type { RoomMode } from '../../core/signaling/protocol.js';

export { parseFilePolicy };

export interface RoomSessionInput {
  room: string;
  server?: string;
  name?: string;
  token?: string;
  roomKey?: string;
  filesAutoAccept?: string;
  filesMaxSize?: string;
  media?: MediaRequest;
  viewer?: boolean;
  mode?: RoomMode;
}

/** A session for the room's attributes; with `setup`, it takes over the preview's devices, tracks and name. */
export function createSession(input: RoomSessionInput, setup?: CallSetup): RtcSession {
  return new RtcSession({
    room: input.room,
    server: input.server,
    name: setup?.name || input.name,
    token: input.token,
    roomKey: input.roomKey,
    files: parseFilePolicy(input.filesAutoAccept, input.filesMaxSize),
    ...(input.media ? { media: input.media } : {}),
    ...(input.viewer ? { viewer: true } : {}),
    ...(input.mode ? { mode: input.mode } : {}),
    ...(setup ? { devices: setup.devices, localMedia: setup.media } : {}),
  });
}
