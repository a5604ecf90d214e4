/**
 * What a session's status means for the one asking (no imports at run time: elements of the
 * first script use these without pulling in the session).
 */
import type { SessionStatus } from '../session.js';

/** In the call: 'joined', or 'reconnecting' (the signaling server is away; the peer links go on). */
export function isInCall(status: SessionStatus | undefined): boolean {
  return status === 'joined' || status === 'reconnecting';
}

/** On the way in or in the call ('joining', 'waiting' in the lobby, or isInCall): join() does nothing now, and leave() ends it. */
export function isJoiningOrInCall(status: SessionStatus | undefined): boolean {
  return status === 'joining' || status === 'waiting' || isInCall(status);
}
