import type { PrecallResult } from '../../core/precall/types.js';

/** `<rtc-precall-check>` finished a check (bubbles, composed). */
export class RtcPrecallResultEvent extends Event {
  static readonly eventName = 'rtc-precall-result';
  constructor(
    /** Every step's status and message, the network verdict, and the RTT and throughput through the relay. */
    readonly result: PrecallResult,
  ) {
    super(RtcPrecallResultEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'rtc-precall-result': RtcPrecallResultEvent;
  }
}
