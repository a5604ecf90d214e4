/**
 * DOM events of the rtc-widgets elements. Each is an Event subclass with typed readonly fields,
 * bubbling and composed (so a page listening on `<rtc-room>` or `document` hears them), and
 * declared in GlobalEventHandlersEventMap so `addEventListener('rtc-join', e => e.room)` is typed.
 */
import type { RtcError } from '../core/errors.js';
import type { Participant, SessionStatus } from '../core/session.js';
import type { ChatMessage } from '../core/data/chat.js';
import type { Transfer } from '../core/data/file-transfer.js';
import type { LayoutMode } from '../core/layout/layout.js';
import type { DeviceKind } from '../core/media/devices.js';

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

/**
 * The call's status changed: 'joining', 'joined', 'reconnecting' (the signaling server is
 * unreachable; media, chat and files go on peer to peer), 'left' or 'failed'.
 */
export class RtcStatusEvent extends Event {
  static readonly eventName = 'rtc-status';
  constructor(
    /** The new status. */
    readonly status: SessionStatus,
  ) {
    super(RtcStatusEvent.eventName, init);
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

/** A chat message arrived from a peer (not our own, not history handed to a newcomer). */
export class RtcMessageEvent extends Event {
  static readonly eventName = 'rtc-message';
  constructor(
    /** The message; `name` and `text` are plain text from a stranger: render them as text. */
    readonly message: ChatMessage,
  ) {
    super(RtcMessageEvent.eventName, init);
  }
}

/** A file transfer moved on (about ten times a second, and always at 100 %). */
export class RtcTransferProgressEvent extends Event {
  static readonly eventName = 'rtc-transfer-progress';
  constructor(
    /** The transfer: `bytes` of `size`, `rate` in bytes per second, `eta` in seconds. */
    readonly transfer: Transfer,
  ) {
    super(RtcTransferProgressEvent.eventName, init);
  }
}

/** A file arrived whole with a matching SHA-256 (`direction` 'receive', with `blob` and `url`), or one we sent was received (`direction` 'send'). */
export class RtcTransferCompleteEvent extends Event {
  static readonly eventName = 'rtc-transfer-complete';
  constructor(
    /** The finished transfer. */
    readonly transfer: Transfer,
  ) {
    super(RtcTransferCompleteEvent.eventName, init);
  }
}

/** A file transfer was cancelled (by either side) or failed; `transfer.error` says why. */
export class RtcTransferErrorEvent extends Event {
  static readonly eventName = 'rtc-transfer-error';
  constructor(
    /** The transfer, `state` 'cancelled' or 'failed'. */
    readonly transfer: Transfer,
  ) {
    super(RtcTransferErrorEvent.eventName, init);
  }
}

/** The person picked a camera, microphone or speaker in an `<rtc-device-picker>` (remembered for next time). */
export class RtcDeviceChangeEvent extends Event {
  static readonly eventName = 'rtc-device-change';
  constructor(
    /** Which kind of device: 'videoinput', 'audioinput' or 'audiooutput'. */
    readonly kind: DeviceKind,
    /** The chosen device's id ('' = the browser's default). */
    readonly deviceId: string,
  ) {
    super(RtcDeviceChangeEvent.eventName, init);
  }
}

/** `<rtc-room>`'s call layout changed: grid or spotlight, or who is in the spotlight. */
export class RtcLayoutChangeEvent extends Event {
  static readonly eventName = 'rtc-layout-change';
  constructor(
    /** The layout shown now. */
    readonly layout: LayoutMode,
    /** The participant shown large (peer id), or null in the grid. */
    readonly spotlight: string | null,
  ) {
    super(RtcLayoutChangeEvent.eventName, init);
  }
}

/** The pinned tile in `<rtc-room>` changed: the user pinned or unpinned someone, or a screen share was pinned automatically. */
export class RtcPinChangeEvent extends Event {
  static readonly eventName = 'rtc-pin-change';
  constructor(
    /** The pinned participant's peer id, or null when nobody is pinned. */
    readonly participantId: string | null,
    /** Pinned because they share their screen, not by the user. */
    readonly automatic: boolean,
  ) {
    super(RtcPinChangeEvent.eventName, init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'rtc-layout-change': RtcLayoutChangeEvent;
    'rtc-pin-change': RtcPinChangeEvent;
    'rtc-device-change': RtcDeviceChangeEvent;
    'rtc-message': RtcMessageEvent;
    'rtc-transfer-progress': RtcTransferProgressEvent;
    'rtc-transfer-complete': RtcTransferCompleteEvent;
    'rtc-transfer-error': RtcTransferErrorEvent;
    'rtc-join': RtcJoinEvent;
    'rtc-leave': RtcLeaveEvent;
    'rtc-status': RtcStatusEvent;
    'rtc-peer-join': RtcPeerJoinEvent;
    'rtc-peer-leave': RtcPeerLeaveEvent;
    'rtc-error': RtcErrorEvent;
  }
}
