/**
 * Registers every rtc-widgets element: the CDN bundle's entry (`<script type="module" src=".../rtc-widgets.js">`)
 * and `import 'rtc-widgets/define.js'`. Safe to load more than once, or beside another copy of
 * rtc-widgets: registered tags are skipped (a different version gets a console warning).
 */
import { ContextRoot } from '@lit/context';
import { defineElement } from './internal/define-element.js';
import { RtcRoom } from './components/rtc-room/rtc-room.js';
import { RtcPrejoin } from './components/rtc-prejoin/rtc-prejoin.js';
import { RtcVideoTile } from './components/rtc-video-tile/rtc-video-tile.js';
import { RtcControls } from './components/rtc-controls/rtc-controls.js';
import { RtcDevicePicker } from './components/rtc-device-picker/rtc-device-picker.js';
import { RtcCameraButton, RtcLeaveButton, RtcMicButton, RtcScreenShareButton } from './components/rtc-call-buttons/rtc-call-buttons.js';
import { RtcChat } from './components/rtc-chat/rtc-chat.js';
import { RtcParticipantList } from './components/rtc-participant-list/rtc-participant-list.js';
import { RtcPrecallCheck } from './components/rtc-precall-check/rtc-precall-check.js';
import { RtcStats } from './components/rtc-stats/rtc-stats.js';
import { RtcRecordButton } from './components/rtc-record-button/rtc-record-button.js';

export * from './index.js';

const ROOT_KEY = Symbol.for('rtc-widgets/context-root');

if (typeof document !== 'undefined') {
  // A tile that upgrades before its <rtc-room> asks for the session while nobody can answer;
  // the ContextRoot keeps that request and replays it when the room's provider appears. One per
  // page, however many copies of rtc-widgets are loaded.
  const g = globalThis as { [ROOT_KEY]?: ContextRoot };
  if (!g[ROOT_KEY]) {
    g[ROOT_KEY] = new ContextRoot();
    g[ROOT_KEY].attach(document.body ?? document.documentElement);
  }
}

// The provider first: elements already in the page upgrade in definition order, so a room
// is ready before the children that ask it for the session.
defineElement('rtc-room', RtcRoom);
defineElement('rtc-prejoin', RtcPrejoin);
defineElement('rtc-video-tile', RtcVideoTile);
defineElement('rtc-controls', RtcControls);
defineElement('rtc-device-picker', RtcDevicePicker);
defineElement('rtc-mic-button', RtcMicButton);
defineElement('rtc-camera-button', RtcCameraButton);
defineElement('rtc-screen-share-button', RtcScreenShareButton);
defineElement('rtc-leave-button', RtcLeaveButton);
defineElement('rtc-chat', RtcChat);
defineElement('rtc-participant-list', RtcParticipantList);
defineElement('rtc-precall-check', RtcPrecallCheck);
defineElement('rtc-stats', RtcStats);
defineElement('rtc-record-button', RtcRecordButton);
