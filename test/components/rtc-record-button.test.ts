/**
 * <rtc-record-button> and rtc-room's recording UI on real calls through the real signaling server:
 * More → Record call, the clock, Stop, the download link, and what the others see and hear.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../helpers/define-all.js';
import type { RtcRecordButton, RtcRecordingStopEvent, RtcRoom, RtcVideoTile } from '../../src/index.js';
import { sessionSet } from '../helpers/sessions.js';
import { signaling, type Signaling } from '../helpers/signaling.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { deep } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
/** `p`, or a failure naming `what` after `ms` (an event that never comes fails here, not at mocha's timeout). */
function within<T>(p: Promise<T>, what: string, ms = 20_000): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), ms))]);
}

/** The time the clock shows, in seconds ("01:05" → 65). */
const seconds = (clock: string) => clock.split(':').reduce((t, n) => t * 60 + Number(n), 0);

describe('<rtc-record-button>', function () {
  this.timeout(120_000);
  let sig: Signaling;
  // A camera, no microphone (sound costs CPU): what these tests check of a recording is its UI and its file, not its sound.
  const set = sessionSet(() => ({ room: sig.room, transport: sig.transport, media: { audio: false, video: true } }), {
    timeout: 40_000,
    ignoreLeaveErrors: true,
  });
  beforeEach(async () => (sig = await signaling('server', 'rec-ui')));
  afterEach(set.leaveAll);

  it('More → Record call from the keyboard: the clock runs, Stop gives a WebM download; the other room shows and announces it', async () => {
    const [ada, bob] = await set.room('Ada', 'Bob');
    const host = await fixture<HTMLDivElement>(html`<div>
      <rtc-room .session=${ada}></rtc-room>
      <rtc-room .session=${bob}></rtc-room>
    </div>`);
    const [adaRoom, bobRoom] = [...host.querySelectorAll<RtcRoom>('rtc-room')] as [RtcRoom, RtcRoom];
    const more = await waitFor(() => sr(adaRoom).querySelector<HTMLButtonElement>('[part~=more-toggle]'), 'the More button');
    const bobGrid = await waitFor(() => sr(bobRoom).querySelector<HTMLElement>('[part=grid]'), "Bob's tiles");
    const adaTile = await waitFor(() => sr(bobRoom).querySelector<RtcVideoTile>(`rtc-video-tile[participant-id="${ada.localId}"]`), "Ada's tile at Bob's");
    const gridTop = bobGrid.getBoundingClientRect().top;
    const control = sr(adaRoom).querySelector<RtcRecordButton>('rtc-record-button[part=record]')!;
    expect(control.state).to.equal('idle');
    expect(getComputedStyle(control).display, 'nothing shown before recording').to.equal('none');

    // Keyboard: ↓ opens the menu on "Call statistics", ↓ again to "Record call", Enter.
    more.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    const item = sr(adaRoom).querySelector<HTMLElement>('[part~=record-item]')!;
    await waitFor(() => sr(adaRoom).activeElement === item, 'focus on Record call');
    expect(text(item)).to.equal('Record call');
    const started = oneEvent(adaRoom, 'rtc-recording-start');
    await sendKeys({ press: 'Enter' });
    await within(started, 'rtc-recording-start');
    expect(ada.recording.get()).to.not.equal(null);
    expect(more.getAttribute('aria-expanded'), 'the menu closed').to.equal('false');
    expect(sr(adaRoom).activeElement, 'focus back on More').to.equal(more);

    // Ada's overlay: Stop with the time recorded.
    await waitFor(() => control.state === 'recording', 'the control shows the recording');
    const toggle = deep<HTMLButtonElement>(control, '[part~=record-toggle]')!;
    const clock = deep(control, '[part=elapsed]')!;
    await waitFor(() => seconds(text(clock)) >= 2, 'the clock reaches 00:02', 30_000);
    expect(text(clock)).to.match(/^\d\d:\d\d$/);
    // Its name is what it does now, with the time: "Stop 00:02".
    expect(text(toggle)).to.match(/^Stop \d\d:\d\d$/);
    await waitFor(() => text(deep(control, '[role=status]')) === 'Recording started', 'the start announced');
    await expect(control).shadowDom.to.be.accessible();

    // Bob's room: the badge, the dot on Ada's tile, the announcement; the tiles did not move.
    const badge = await waitFor(() => sr(bobRoom).querySelector('[part=recording-badge]'), "the badge at Bob's");
    expect(text(badge)).to.equal('REC Ada is recording');
    await waitFor(() => deep(adaTile, '[part=recording-indicator]'), "the dot on Ada's tile");
    expect(deep(adaTile, '[part=recording-indicator]')!.getAttribute('aria-label')).to.equal('Recording');
    await waitFor(() => text(sr(bobRoom).querySelector('[role=log]')).includes('Ada is recording'), 'announced at Bob’s');
    expect(bobGrid.getBoundingClientRect().top, 'the tiles stay where they were').to.equal(gridTop);
    // Ada's own tile has the dot too.
    const adaOwnTile = sr(adaRoom).querySelector<RtcVideoTile>('rtc-video-tile[local]')!;
    await waitFor(() => deep(adaOwnTile, '[part=recording-indicator]'), "the dot on Ada's own tile");

    // Stop (keyboard on the focused button): the download link takes its place and focus.
    const stopped = oneEvent(adaRoom, 'rtc-recording-stop') as Promise<RtcRecordingStopEvent>;
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    const { result } = await within(stopped, 'rtc-recording-stop');
    expect(result.blob.type).to.equal('video/webm');
    const link = await waitFor(() => deep<HTMLAnchorElement>(control, '[part=download]'), 'the download link');
    expect(control.state).to.equal('ready');
    expect(link.download).to.equal(result.filename);
    expect(link.download).to.match(new RegExp(`^${sig.room}-\\d{4}-\\d\\d-\\d\\d-\\d{4}\\.webm$`));
    expect(link.href).to.match(/^blob:/);
    const fetched = await within(
      fetch(link.href).then((r) => r.blob()),
      'the download',
    );
    expect(fetched.size).to.equal(result.blob.size);
    expect(fetched.size).to.be.greaterThan(1000);
    await waitFor(() => sr(control).activeElement === link, 'focus on the download link');
    await waitFor(() => text(deep(control, '[role=status]')) === 'Recording stopped. The file is ready to download.', 'the stop announced');
    // The overlay offers only the download (Record again is in the menu).
    expect(getComputedStyle(toggle).display).to.equal('none');
    await expect(control).shadowDom.to.be.accessible();

    // Bob: the badge and the dot go, and that is announced.
    await waitFor(() => !sr(bobRoom).querySelector('[part=recording-badge]'), "the badge gone at Bob's");
    await waitFor(() => !deep(adaTile, '[part=recording-indicator]'), "the dot gone from Ada's tile");
    await waitFor(() => text(sr(bobRoom).querySelector('[role=log]')).includes('Ada stopped recording'), 'the stop announced at Bob’s');

    // Discard: the link goes, its object URL is revoked.
    const href = link.href;
    deep<HTMLButtonElement>(control, '[part~=clear]')!.click();
    await waitFor(() => control.state === 'idle', 'nothing left to download');
    let revoked = false;
    await within(fetch(href), 'fetching a revoked URL').catch(() => (revoked = true));
    expect(revoked, 'the object URL is revoked').to.equal(true);
  });

  it('alone, with a picker: records one participant; the space bar starts and stops; a second recording replaces the first link', async () => {
    const [ada, bob] = await set.room('Ada', 'Bob');
    const el = await fixture<RtcRecordButton>(html`<rtc-record-button choose .session=${ada}></rtc-record-button>`);
    const select = deep<HTMLSelectElement>(el, 'select[part=target]')!;
    expect(select.getAttribute('aria-label')).to.equal('What to record');
    expect([...select.options].map((o) => o.textContent!.trim())).to.deep.equal(['Whole call', 'Ada (you)', 'Bob']);
    select.value = bob.localId;
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    await expect(el).shadowDom.to.be.accessible();

    const toggle = deep<HTMLButtonElement>(el, '[part~=record-toggle]')!;
    expect(text(toggle)).to.equal('Record');
    toggle.focus();
    await sendKeys({ press: ' ' });
    await waitFor(() => el.state === 'recording', 'recording');
    expect(ada.recording.get()!.participant).to.equal(bob.localId);
    expect(deep(el, 'select'), 'no picker while recording').to.equal(null);
    await waitFor(() => seconds(text(deep(el, '[part=elapsed]'))) >= 1, 'the clock runs', 30_000);
    await sendKeys({ press: ' ' });
    const first = await waitFor(() => deep<HTMLAnchorElement>(el, '[part=download]'), 'the download link');
    expect(first.download).to.match(new RegExp(`^${sig.room}-Bob-.*\\.webm$`));
    const firstHref = first.href;

    // Record again (whole call): the old link and its URL go.
    select.value = '';
    deep<HTMLSelectElement>(el, 'select')!.value = '';
    deep<HTMLSelectElement>(el, 'select')!.dispatchEvent(new Event('change'));
    await el.updateComplete;
    deep<HTMLButtonElement>(el, '[part~=record-toggle]')!.click();
    await waitFor(() => el.state === 'recording', 'recording again');
    expect(ada.recording.get()!.participant).to.equal(null);
    expect(deep(el, '[part=download]'), 'no stale link while recording').to.equal(null);
    let revoked = false;
    await within(fetch(firstHref), 'fetching a revoked URL').catch(() => (revoked = true));
    expect(revoked).to.equal(true);
    await el.stop();
    await waitFor(() => deep(el, '[part=download]'), 'the second link');
  });

  it('leaving while recording stops it; the room offers the file under "You left the call"', async () => {
    const [ada, bob] = await set.room('Ada', 'Bob');
    const room = await fixture<RtcRoom>(html`<rtc-room .session=${ada}></rtc-room>`);
    const control = await waitFor(() => sr(room).querySelector<RtcRecordButton>('rtc-record-button[part=record]'), 'the record control');
    control.start();
    await waitFor(() => bob.participants.get().find((p) => p.id === ada.localId)?.recording, 'Bob sees the recording');
    await sleep(300); // a little to record
    await ada.leave();
    const left = await waitFor(() => sr(room).querySelector<RtcRecordButton>('[data-view=left] rtc-record-button'), 'the left view');
    const link = await waitFor(() => deep<HTMLAnchorElement>(left, '[part=download]'), 'the download after leaving');
    expect(link.download).to.match(/\.webm$/);
    expect(getComputedStyle(deep(left, '[part~=record-toggle]')!).display, 'no Record button out of the call').to.equal('none');
    await waitFor(() => !bob.participants.get().some((p) => p.id === ada.localId), 'Ada gone at Bob’s');
  });
});
