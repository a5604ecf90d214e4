/**
 * DOM events of the rtc-widgets elements. Each is an Event subclass with typed readonly fields,
 * bubbling and composed (so a page listening on `<rtc-room>` or `document` hears them), and
 * declared in GlobalEventHandlersEventMap so `addEventListener('rtc-join', e => e.room)` is typed.
 */
import type { RtcError } from '../core/errors.js';
import type { Participant } from '../core/session.js';

const init: EventInit = { bubbles: true, composed: true };

/** The local participant joined the room. */
export class RtcJoinEvent extends Event {
  static readonly eventName = 'rtc-join';
  constructor(
    /** Our peer id in the room. */
    readonly id: string,
    /** The room joined. */
    readonly room: string,
  ) {
    super(RtcJoinEvent.eventName, init);
  }
}

/** The local participant left the call (Leave, `leave()`, or the element was removed). */
export class RtcLeaveEvent extends Event {
  static readonly eventName = 'rtc-leave';
  constructor() {
    super(RtcLeaveEvent.eventName, init);
  }
}

/** A remote participant joined the call. */
export class RtcPeerJoinEvent extends Event {
  static readonly eventName = 'rtc-peer-join';
  constructor(
    /** The participant, as in the session's `participants` store at that moment. */
    readonly participant: Participant,
  ) {
    super(RtcPeerJoinEvent.eventName, init);
  }
}

export type PeerLeaveReason = 'left' | 'disconnected' | 'failed';

/** A remote participant left the call, or their connection was lost. */
export class RtcPeerLeaveEvent extends Event {
  static readonly eventName = 'rtc-peer-leave';
  constructor(
    /** The participant's peer id. */
    readonly id: string,
    /** Their display name (plain text from a stranger: render it as text). */
    readonly name: string,
    /** Why they are gone. */
    readonly reason: PeerLeaveReason,
  ) {
    super(RtcPeerLeaveEvent.eventName, init);
  }
}

/** Something went wrong; `error.message` is written for the person in the call. */
export class RtcErrorEvent extends Event {
  static readonly eventName = 'rtc-error';
  constructor(
    /** The error, with a `code` for programs and a user-facing `message`. */
    readonly error: RtcError,
  ) {
    super(RtcErrorEvent.eventName, init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'rtc-join': RtcJoinEvent;
    'rtc-leave': RtcLeaveEvent;
    'rtc-peer-join': RtcPeerJoinEvent;
    'rtc-peer-leave': RtcPeerLeaveEvent;
    'rtc-error': RtcErrorEvent;
  }
}
