/** Words and initials shown for a participant, shared by the tile and the People list. */

/** A remote connection state in words; nothing when connected. */
export const connectionWords: Partial<Record<RTCPeerConnectionState, string>> = {
  new: 'Connecting…',
  connecting: 'Connecting…',
  disconnected: 'Reconnecting…',
  failed: 'Connection lost',
  closed: 'Connection lost',
};

/** Up to two initials of a display name, for a placeholder or an avatar. */
export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => Array.from(word)[0]!.toLocaleUpperCase())
    .join('');
}
