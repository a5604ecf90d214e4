// Vue 3: GlobalComponents entries as vue-tsc / Volar read them for templates (`$props`, `$emit`).
import type {} from 'rtc-widgets/vue';
import type { GlobalComponents } from 'vue';
import { RtcJoinEvent, RtcLayoutChangeEvent, type RtcSession } from 'rtc-widgets';

type Props<Tag extends keyof GlobalComponents> = InstanceType<GlobalComponents[Tag]>['$props'];
type Emit<Tag extends keyof GlobalComponents> = InstanceType<GlobalComponents[Tag]>['$emit'];
declare const session: RtcSession;

export const room: Props<'rtc-room'> = {
  room: 'standup',
  layout: 'spotlight',
  mode: 'broadcast',
  autoJoin: true,
  theme: 'auto',
  session,
  class: 'call',
  style: { height: '100vh' },
  onClick: (e: MouseEvent) => e.button,
  'onRtc-join': (e: RtcJoinEvent) => e.room,
};
// @ts-expect-error layout is 'grid' or 'spotlight'
export const badLayout: Props<'rtc-room'> = { layout: 'diagonal' };
// @ts-expect-error autoJoin is a boolean
export const badAutoJoin: Props<'rtc-room'> = { autoJoin: 'yes' };
// @ts-expect-error room is a string
export const badRoom: Props<'rtc-room'> = { room: 1 };

export function emits(emit: Emit<'rtc-room'>) {
  emit('rtc-join', new RtcJoinEvent('p1', 'standup'));
  emit('rtc-layout-change', new RtcLayoutChangeEvent('grid', null));
  // @ts-expect-error rtc-join comes with an RtcJoinEvent
  emit('rtc-join', 'standup');
  // @ts-expect-error rtc-room fires no rtc-precall-result
  emit('rtc-precall-result', new RtcJoinEvent('p1', 'standup'));
}

export const tile: Props<'rtc-video-tile'> = { participantId: 'p1', local: true, source: 'screen', quality: 'poor' };
// @ts-expect-error quality is 'good', 'fair', 'poor' or 'lost'
export const badTile: Props<'rtc-video-tile'> = { quality: 'great' };
export const picker: Props<'rtc-device-picker'> = { kinds: ['videoinput'] };
// @ts-expect-error kinds are device kinds
export const badPicker: Props<'rtc-device-picker'> = { kinds: ['camera'] };
export const record: Props<'rtc-record-button'> = { state: 'idle', choose: true };
// @ts-expect-error state is 'idle', 'recording' or 'ready'
export const badRecord: Props<'rtc-record-button'> = { state: 'paused' };
export const precall: Props<'rtc-precall-check'> = { iceTransportPolicy: 'relay', server: 'https://call.example.com' };

// Every tag is there.
export type Tags = [
  GlobalComponents['rtc-room'],
  GlobalComponents['rtc-prejoin'],
  GlobalComponents['rtc-video-tile'],
  GlobalComponents['rtc-controls'],
  GlobalComponents['rtc-mic-button'],
  GlobalComponents['rtc-camera-button'],
  GlobalComponents['rtc-screen-share-button'],
  GlobalComponents['rtc-leave-button'],
  GlobalComponents['rtc-chat'],
  GlobalComponents['rtc-participant-list'],
  GlobalComponents['rtc-device-picker'],
  GlobalComponents['rtc-precall-check'],
  GlobalComponents['rtc-stats'],
  GlobalComponents['rtc-record-button'],
];
