/** Small helpers about ICE server lists, shared by the pre-call check and the session. */

/** The URLs of an RTCIceServer list, flattened. */
export function iceUrls(iceServers: readonly RTCIceServer[] | undefined): string[] {
  return (iceServers ?? []).flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls])).filter((u): u is string => typeof u === 'string');
}

/** The list's TURN relay URLs (`turn:` or `turns:`). */
export function turnUrls(iceServers: readonly RTCIceServer[] | undefined): string[] {
  return iceUrls(iceServers).filter((u) => /^turns?:/i.test(u));
}

/** Whether the list names a TURN relay. */
export function hasTurnServer(iceServers: readonly RTCIceServer[] | undefined): boolean {
  return turnUrls(iceServers).length > 0;
}

/** Whether the list can tell us our public address (a STUN server; TURN servers answer STUN too). */
export function hasStunServer(iceServers: readonly RTCIceServer[] | undefined): boolean {
  return iceUrls(iceServers).some((u) => /^(stuns?|turns?):/i.test(u));
}

/** What a call without a relay says when a link finds no path (tile text and the session's error). */
export const NO_RELAY_TEXT = "Can't connect directly; this call has no relay (TURN) server";
export const NO_RELAY_FIX =
  'Your networks do not allow a direct connection, and this call has no relay (TURN) server to go through. Ask the site owner to configure a TURN server (TURN_URLS + TURN_SECRET on the call server).';
