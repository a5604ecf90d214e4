/**
 * rtc-widgets: the element classes, their events, the session context and controllers, and the
 * framework-free core. No side effects: import `rtc-widgets/define.js` to register the tags, or
 * register the classes under your own names.
 */
export { RtcRoom } from './components/rtc-room/rtc-room.js';
export { RtcPrejoin } from './components/rtc-prejoin/rtc-prejoin.js';
export { RtcVideoTile } from './components/rtc-video-tile/rtc-video-tile.js';
export { RtcControls } from './components/rtc-controls/rtc-controls.js';
export { RtcDevicePicker } from './components/rtc-device-picker/rtc-device-picker.js';
export { RtcCallButton, RtcMicButton, RtcCameraButton, RtcScreenShareButton, RtcLeaveButton } from './components/rtc-call-buttons/rtc-call-buttons.js';
export { RtcChat } from './components/rtc-chat/rtc-chat.js';
export { RtcParticipantList } from './components/rtc-participant-list/rtc-participant-list.js';
export { RtcPrecallCheck } from './components/rtc-precall-check/rtc-precall-check.js';
export { RtcPrecallResultEvent } from './components/rtc-precall-check/precall-events.js';
export { RtcStats } from './components/rtc-stats/rtc-stats.js';
export { RtcReportCopyEvent } from './components/rtc-stats/rtc-stats-events.js';
export { RtcRecordButton, formatElapsed } from './components/rtc-record-button/rtc-record-button.js';
export type { RecordButtonState } from './components/rtc-record-button/rtc-record-button.js';
export { RtcRecordingStartEvent, RtcRecordingStopEvent } from './components/rtc-record-button/rtc-record-events.js';
export type { ReportCopyMethod } from './components/rtc-stats/rtc-stats-events.js';
export {
  RtcJoinEvent,
  RtcLeaveEvent,
  RtcStatusEvent,
  RtcPeerJoinEvent,
  RtcPeerLeaveEvent,
  RtcErrorEvent,
  RtcLayoutChangeEvent,
  RtcPinChangeEvent,
  RtcDeviceChangeEvent,
  RtcMessageEvent,
  RtcTransferProgressEvent,
  RtcTransferCompleteEvent,
  RtcTransferErrorEvent,
} from './events/rtc-events.js';
export type { PeerLeaveReason } from './events/rtc-events.js';
export { sessionContext } from './context/rtc-context.js';
export type { SessionContext } from './context/rtc-context.js';
export { StoreController } from './controllers/store-controller.js';
export { SessionController } from './controllers/session-controller.js';
export { RtcSessionElement } from './internal/session-element.js';
export { Localize, registerStrings, languagesReady, availableLanguages } from './i18n/localize.js';
export { en } from './i18n/en.js';
export type { Strings } from './i18n/strings.js';
export { defineElement } from './internal/define-element.js';
export { VERSION } from './internal/version.js';
export * from './core/index.js';
