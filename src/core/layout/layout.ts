/**
 * Who the call UI shows large. Pure functions over participant data, no DOM and no session, so
 * the rules are unit-tested on their own and any UI (rtc-room, a page's own layout) can reuse them.
 *
 * Rules, strongest first:
 * 1. A participant the user pinned is spotlighted.
 * 2. Else a remote participant who shares their screen is spotlighted ("pinned automatically")
 *    while the share lasts, unless the user unpinned that share. Our own share is not: we already
 *    see our screen, and showing it large would mirror it into itself. (A UI shows the sharer's
 *    screen in the spotlight and their camera beside it, when `screenStream` has one.)
 * 3. Else, in the 'spotlight' layout, the active speaker; we never spotlight ourselves for speaking
 *    (the previous remote stays instead), and without a speaker the previous spotlight stays, so
 *    the big tile does not flicker.
 * 4. Else the grid.
 */

export type LayoutMode = 'grid' | 'spotlight';

/** The participant fields the rules look at (a core Participant fits). */
export interface LayoutParticipant {
  id: string;
  isLocal: boolean;
  screenSharing?: boolean;
}

export interface LayoutInput {
  participants: readonly LayoutParticipant[];
  /** The layout asked for (rtc-room's `layout` attribute). */
  requested: LayoutMode;
  /** The participant the user pinned, if any. */
  pinned: string | null;
  /** Who spoke most recently (session.activeSpeaker). */
  activeSpeaker: string | null;
  /** Sharers whose automatic spotlight the user turned off (by unpinning it), while they share. */
  dismissed?: ReadonlySet<string>;
  /** The previous spotlight: kept while nobody takes its place. */
  previous?: string | null;
}

export type SpotlightReason = 'pinned' | 'screen-share' | 'active-speaker' | 'previous' | 'first';

export interface Layout {
  mode: LayoutMode;
  /** The participant shown large in the 'spotlight' mode; null in 'grid'. */
  spotlight: string | null;
  /** Why that participant is in the spotlight; null in 'grid'. */
  reason: SpotlightReason | null;
  /** The tile shown as pinned: the user's pin, else an automatic screen-share pin. */
  pinned: string | null;
}

const GRID: Layout = { mode: 'grid', spotlight: null, reason: null, pinned: null };

export function computeLayout(input: LayoutInput): Layout {
  const { participants, requested, activeSpeaker } = input;
  const dismissed = input.dismissed ?? new Set<string>();
  const byId = new Map(participants.map((p) => [p.id, p]));
  const pinned = input.pinned !== null && byId.has(input.pinned) ? input.pinned : null;
  // Alone there is nothing to put beside the spotlight.
  if (participants.length < 2) return { ...GRID, pinned };
  if (pinned !== null) return { mode: 'spotlight', spotlight: pinned, reason: 'pinned', pinned };

  const sharers = participants.filter((p) => !p.isLocal && p.screenSharing && !dismissed.has(p.id));
  if (sharers.length) {
    // With several shares, stay on the one already shown.
    const sharer = sharers.find((p) => p.id === input.previous) ?? sharers[0]!;
    return { mode: 'spotlight', spotlight: sharer.id, reason: 'screen-share', pinned: sharer.id };
  }
  if (requested !== 'spotlight') return GRID;

  const speaker = activeSpeaker !== null ? byId.get(activeSpeaker) : undefined;
  if (speaker && !speaker.isLocal) return { mode: 'spotlight', spotlight: speaker.id, reason: 'active-speaker', pinned: null };
  const previous = input.previous != null ? byId.get(input.previous) : undefined;
  if (previous && !previous.isLocal) return { mode: 'spotlight', spotlight: previous.id, reason: 'previous', pinned: null };
  const first = participants.find((p) => !p.isLocal) ?? participants[0]!;
  return { mode: 'spotlight', spotlight: first.id, reason: 'first', pinned: null };
}

/** The user's pin state: whom they pinned, and which automatic screen-share pins they undid. */
export interface PinState {
  pinned: string | null;
  dismissed: ReadonlySet<string>;
}

/**
 * The pin button of `id`'s tile was pressed; `shownPinned` is the tile shown as pinned now
 * (Layout.pinned). Pressing a pinned tile unpins it, also an automatic screen-share pin (which
 * then stays off until that share ends); pressing another pins it.
 */
export function togglePin(state: PinState, id: string, shownPinned: string | null, participants: readonly LayoutParticipant[]): PinState {
  const dismissed = new Set(state.dismissed);
  if (id === shownPinned) {
    if (participants.find((p) => p.id === id)?.screenSharing) dismissed.add(id);
    return { pinned: state.pinned === id ? null : state.pinned, dismissed };
  }
  dismissed.delete(id);
  return { pinned: id, dismissed };
}

/**
 * Forget what no longer applies: a pin of someone who left, and undone share pins of people who
 * stopped sharing (their next share is spotlighted again). Returns `state` itself when unchanged.
 */
export function prunePins(state: PinState, participants: readonly LayoutParticipant[]): PinState {
  const byId = new Map(participants.map((p) => [p.id, p]));
  const pinned = state.pinned !== null && byId.has(state.pinned) ? state.pinned : null;
  const dismissed = new Set([...state.dismissed].filter((id) => byId.get(id)?.screenSharing));
  if (pinned === state.pinned && dismissed.size === state.dismissed.size) return state;
  return { pinned, dismissed };
}
