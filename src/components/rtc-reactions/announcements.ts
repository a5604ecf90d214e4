import type { RtcSession } from '../../core/session.js';
import { isInCall } from '../../core/state/status.js';
import type { RaisedHand } from '../../core/reactions/hands.js';
import { en } from '../../i18n/en.js';
import type { Strings } from '../../i18n/strings.js';

/** The same person's reactions are announced at most once per this long (ms): a burst is one line. */
const REACTION_QUIET_MS = 2000;

/**
 * What a screen reader hears of reactions and hands (through `<rtc-room>`'s announcer): "Bob
 * reacted 👏", "Ada raised their hand", "Ada lowered their hand", and "Ada lowered your hand" (a host did).
 * Our own actions are not repeated: the buttons say them. Returns the teardown.
 */
export function announceReactions(session: RtcSession, say: (text: string) => void, t: () => Strings = () => en): () => void {
  const nameOf = (id: string) => session.participants.get().find((p) => p.id === id)?.name ?? t().someone;
  const lastSaid = new Map<string, number>();
  let hands = new Set(session.hands.get().map((h) => h.id));
  const offs = [
    session.on('reaction', ({ from, emoji }) => {
      if (from === session.localId) return;
      const now = performance.now();
      if (now - (lastSaid.get(from) ?? -Infinity) < REACTION_QUIET_MS) return;
      lastSaid.set(from, now);
      say(t().reacted(nameOf(from), emoji));
    }),
    session.hands.listen((queue: RaisedHand[]) => {
      const inCall = isInCall(session.status.get());
      const next = new Set(queue.map((h) => h.id));
      const present = new Set(session.participants.get().map((p) => p.id));
      if (inCall) {
        for (const id of next) if (!hands.has(id) && id !== session.localId) say(t().raisedHand(nameOf(id)));
        // Someone who left is announced as leaving, not as lowering.
        for (const id of hands) if (!next.has(id) && id !== session.localId && present.has(id)) say(t().loweredHand(nameOf(id)));
      }
      hands = next;
    }),
    session.on('hand-lowered', ({ byName }) => say(t().loweredYourHand(byName))),
  ];
  return () => {
    offs.forEach((off) => off());
    lastSaid.clear();
  };
}
