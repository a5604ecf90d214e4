/** Words and initials shown for a participant, shared by the tile and the People list. */
import type { ParticipantProblem } from '../core/session.js';
import type { Strings } from '../i18n/strings.js';

/** A remote connection state in words; nothing when connected. */
export function connectionWords(state: RTCPeerConnectionState, t: Strings): string | undefined {
  switch (state) {
    case 'new':
    case 'connecting':
      return t.connecting;
    case 'disconnected':
      return t.reconnecting;
    case 'failed':
    case 'closed':
      return t.connectionLost;
    default:
      return undefined;
  }
}

/** What to say about a remote participant's connection; nothing when it is fine. */
export function connectionText(
  p: { isLocal: boolean; connectionState: RTCPeerConnectionState; reconnecting: boolean; problem?: string; problemCode?: ParticipantProblem },
  t: Strings,
): string | undefined {
  if (p.isLocal) return undefined;
  // Why it cannot connect at all (e.g. no relay server), rather than "Connecting…" for ever: by its code, in the language.
  if (p.problemCode === 'no-relay') return t.noRelayPath;
  if (p.problem) return p.problem;
  // 'failed' while an ICE restart is under way is not lost yet.
  return p.reconnecting ? t.reconnecting : connectionWords(p.connectionState, t);
}

/** Up to two initials of a display name, for a placeholder or an avatar. */
export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => Array.from(word)[0]!.toLocaleUpperCase())
    .join('');
}

/**
 * A hue (0–359) from a display name, the same on every page: a camera-off placeholder is
 * coloured by it, so people tell each other apart at a glance.
 */
export function hueOf(name: string): number {
  let h = 2166136261; // FNV-1a
  for (const ch of name) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % 360;
}
