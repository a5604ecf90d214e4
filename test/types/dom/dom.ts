// Plain DOM typings from the normal dist types, with nothing but `rtc-widgets/define.js` imported
// (what a page without a framework imports): every tag in HTMLElementTagNameMap, every rtc-* event
// in the event map of every element (HTMLElementEventMap extends GlobalEventHandlersEventMap).
import 'rtc-widgets/define.js';

const room = document.querySelector('rtc-room')!;
room.layout = 'spotlight';
room.mode = 'meeting';
// @ts-expect-error layout is 'grid' or 'spotlight'
room.layout = 'diagonal';

// Every tag, the lazily loaded ones too, maps to its class.
const tags = {
  room: document.createElement('rtc-room').leave,
  prejoin: document.createElement('rtc-prejoin').storageKey,
  tile: document.createElement('rtc-video-tile').participantId,
  controls: document.createElement('rtc-controls').devices,
  mic: document.createElement('rtc-mic-button').session,
  camera: document.createElement('rtc-camera-button').session,
  share: document.createElement('rtc-screen-share-button').session,
  leave: document.createElement('rtc-leave-button').session,
  chat: document.createElement('rtc-chat').filesAutoAccept,
  people: document.createElement('rtc-participant-list').participants,
  picker: document.createElement('rtc-device-picker').kinds,
  precall: document.createElement('rtc-precall-check').iceTransportPolicy,
  stats: document.createElement('rtc-stats').session,
  record: document.createElement('rtc-record-button').state,
};
// @ts-expect-error a tile has no leave()
document.createElement('rtc-video-tile').leave();

// Every rtc-* event, typed on any element and on the document (they bubble and are composed).
room.addEventListener('rtc-join', (e) => e.id + e.room);
room.addEventListener('rtc-leave', (e) => e.type);
room.addEventListener('rtc-status', (e) => e.status);
room.addEventListener('rtc-peer-join', (e) => e.participant.name);
room.addEventListener('rtc-peer-leave', (e) => e.reason);
room.addEventListener('rtc-error', (e) => e.error.code);
room.addEventListener('rtc-message', (e) => e.message.text);
room.addEventListener('rtc-transfer-progress', (e) => e.transfer.bytes);
room.addEventListener('rtc-transfer-complete', (e) => e.transfer.size);
room.addEventListener('rtc-transfer-error', (e) => e.transfer.state);
room.addEventListener('rtc-layout-change', (e) => e.layout);
room.addEventListener('rtc-pin-change', (e) => e.automatic);
document.addEventListener('rtc-device-change', (e) => e.deviceId);
document.addEventListener('rtc-precall-result', (e) => e.result.network?.verdict);
document.addEventListener('rtc-report-copy', (e) => e.report);
document.addEventListener('rtc-recording-start', (e) => e.recording);
document.addEventListener('rtc-recording-stop', (e) => e.result.filename);
// @ts-expect-error rtc-join carries id and room, no message
room.addEventListener('rtc-join', (e) => e.message);
// @ts-expect-error rtc-status carries a status, no participant
document.addEventListener('rtc-status', (e) => e.participant);

export { tags };
