/** Events of `<rtc-record-button>` (same shape as src/events/rtc-events.ts: typed fields, bubbling, composed). */
import type { Recording, RecordingResult } from '../../core/recording/recorder.js';

/** Our recording started (from the button, a menu, or `session.startRecording()`). */
export class RtcRecordingStartEvent extends Event {
  static readonly eventName = 'rtc-recording-start';
  constructor(
    /** The recording: `elapsed`, `bytes` and `state` stores, `stop()`. */
    readonly recording: Recording,
  ) {
    super(RtcRecordingStartEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Our recording ended (Stop, leaving the call, or an error) and its file is ready. */
export class RtcRecordingStopEvent extends Event {
  static readonly eventName = 'rtc-recording-stop';
  constructor(
    /** The file (`blob`, `filename`, `duration` in ms); `error` is set when it ended by a failure. */
    readonly result: RecordingResult,
    readonly error: Error | null,
  ) {
    super(RtcRecordingStopEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'rtc-recording-start': RtcRecordingStartEvent;
    'rtc-recording-stop': RtcRecordingStopEvent;
  }
}
