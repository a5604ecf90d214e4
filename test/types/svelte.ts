// Svelte 5: the attributes a template may give each element (SvelteHTMLElements, which the
// language server's svelteHTML.IntrinsicElements extends: tsconfig.json loads svelte-html.d.ts,
// as svelte-check does).
import type {} from 'rtc-widgets/svelte';
import type { SvelteHTMLElements } from 'svelte/elements';

type Attrs<Tag extends keyof svelteHTML.IntrinsicElements> = svelteHTML.IntrinsicElements[Tag];

export const room: Attrs<'rtc-room'> = {
  room: 'standup',
  layout: 'grid',
  'room-key': 'secret',
  autoJoin: true,
  class: 'call',
  onclick: (e) => e.button,
  'onrtc-join': (e) => e.id + e.room,
  'onrtc-peer-leave': (e) => e.reason,
};
// @ts-expect-error layout is 'grid' or 'spotlight'
export const badLayout: Attrs<'rtc-room'> = { layout: 'diagonal' };
// @ts-expect-error rtc-join carries id and room, no message
export const badHandler: Attrs<'rtc-room'> = { 'onrtc-join': (e) => e.message };
export const booleanAttribute: Attrs<'rtc-room'> = { 'auto-join': true, 'precall-check': true };
// @ts-expect-error Svelte writes false as "false", which reads as true: false goes through the property (autoJoin)
export const badBooleanAttribute: Attrs<'rtc-room'> = { 'auto-join': false };

export const tile: SvelteHTMLElements['rtc-video-tile'] = { 'participant-id': 'p1', quality: 'good', 'onrtc-error': (e) => e.error.code };
// @ts-expect-error quality is 'good', 'fair', 'poor' or 'lost'
export const badTile: SvelteHTMLElements['rtc-video-tile'] = { quality: 'great' };
export const precall: SvelteHTMLElements['rtc-precall-check'] = { 'ice-transport-policy': 'relay', 'onrtc-precall-result': (e) => e.result };
// @ts-expect-error ice-transport-policy is 'all' or 'relay'
export const badPrecall: SvelteHTMLElements['rtc-precall-check'] = { 'ice-transport-policy': 'direct' };
export const record: SvelteHTMLElements['rtc-record-button'] = { state: 'recording', 'onrtc-recording-stop': (e) => e.result.blob };
