/**
 * <rtc-stats>, the tiles' quality indicator and rtc-room's "More → Call statistics", on real calls
 * through the real signaling server.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../helpers/define-all.js';
import type { Participant, RtcReportCopyEvent, RtcRoom, RtcStats, RtcVideoTile } from '../../src/index.js';
import { gradeQuality } from '../../src/core/index.js';
import { sessionSet } from '../helpers/sessions.js';
import { signaling, type Signaling } from '../helpers/signaling.js';
import { waitFor } from '../helpers/wait.js';
import { deep } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('<rtc-stats>', function () {
  this.timeout(120_000);
  let sig: Signaling;
  const set = sessionSet(() => ({ room: sig.room, transport: sig.transport }), { timeout: 40_000, ignoreLeaveErrors: true });
  beforeEach(async () => (sig = await signaling('server', 'stats-ui')));
  afterEach(set.leaveAll);
  /** A camera, no microphone (sound costs CPU): for the tests that look at no sound. */
  const camera = { media: { audio: false, video: true } };

  it('shows each link: states, candidate types, numbers, and a timeline of the state changes', async () => {
    const [ada, bob] = await set.joinAll(set.make('Ada', camera), set.make('Bob', camera));
    const el = await fixture<RtcStats>(html`<rtc-stats .session=${ada}></rtc-stats>`);
    const section = await waitFor(() => sr(el).querySelector(`[part=link][data-id="${bob.localId}"]`), 'the link to Bob');
    expect(text(section.querySelector('h3'))).to.equal('Bob');
    await waitFor(() => text(section.querySelector('[data-stat=path]')).startsWith('host'), 'the selected pair', 30_000);
    expect(text(section.querySelector('[data-state=connection]'))).to.equal('connected');
    // Firefox may still be gathering (e.g. a slow interface) when the first pair is selected.
    await waitFor(() => text(section.querySelector('[data-state=gathering]')) === 'complete', 'gathering complete', 30_000);
    expect(text(section.querySelector('[data-state=signaling]'))).to.equal('stable');
    expect(text(section.querySelector('[data-stat=path]'))).to.match(/^host udp → \w+ udp$/);
    await waitFor(() => /\d+ ms/.test(text(section.querySelector('[data-stat=rtt]'))), 'the RTT');
    await waitFor(() => /video \S+ \d+×\d+ [\d.]+ fps \d+ kbit\/s/.test(text(section.querySelector('[data-stat=in]'))), 'what we receive');
    const timeline = [...section.querySelectorAll('[part=timeline] li[data-kind=connection]')].map((li) => text(li).replace(/^\S+ /, ''));
    expect(timeline).to.include.members(['connection: connecting', 'connection: connected']);
    expect(section.querySelector('[part=timeline] time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('"Copy report" gives valid JSON with every link (clipboard, or a text box when refused)', async () => {
    const [ada, bob, cy] = await set.room('Ada', 'Bob', 'Cy');
    const el = await fixture<RtcStats>(html`<rtc-stats .session=${ada}></rtc-stats>`);
    await waitFor(() => ada.stats.links.get().filter((l) => l.sample?.pair).length === 2, 'samples of both links', 30_000);
    const copied = oneEvent(el, 'rtc-report-copy') as Promise<RtcReportCopyEvent>;
    (sr(el).querySelector('[part~=copy-button]') as HTMLButtonElement).click();
    const event = await copied;
    const report = JSON.parse(event.report);
    expect(report.links.map((l: { id: string }) => l.id).sort()).to.deep.equal([bob.localId, cy.localId].sort());
    for (const l of report.links) {
      expect(l.timeline.some((c: { kind: string; state: string }) => c.kind === 'connection' && c.state === 'connected')).to.equal(true);
      expect(l.sample.pair.local.type).to.equal('host');
    }
    expect(report.userAgent).to.equal(navigator.userAgent);
    expect(Date.parse(report.time)).to.be.closeTo(Date.now(), 60_000);
    expect(report.localMedia.tracks.map((t: { kind: string }) => t.kind).sort()).to.deep.equal(['audio', 'video']);
    if (event.method === 'manual') {
      const box = sr(el).querySelector<HTMLTextAreaElement>('textarea[part=report]')!;
      expect(JSON.parse(box.value).links.length).to.equal(2);
    } else {
      expect(await navigator.clipboard.readText().catch(() => event.report)).to.equal(event.report);
    }
    expect(text(sr(el).querySelector('[role=status]'))).to.not.equal('');
  });

  it('shows the room as a matrix: how each of three people receives the two others', async () => {
    const [ada, bob, cy] = await set.joinAll(set.make('Ada', camera), set.make('Bob', camera), set.make('Cy', camera));
    const el = await fixture<RtcStats>(html`<rtc-stats .session=${ada}></rtc-stats>`);
    const ids = [ada, bob, cy].map((s) => s.localId);
    await waitFor(
      // Graded, with a frame rate measured (on a busy machine the first frames can come later than the first grade).
      () =>
        ids.every((r) => ids.every((s) => r === s || / fps/.test(text(sr(el).querySelector(`tr[data-receiver="${r}"] td[data-sender="${s}"][data-level]`))))),
      'every cell of the matrix graded, with a frame rate',
      40_000,
    );
    const rows = [...sr(el).querySelectorAll('[part=matrix] tbody tr')];
    expect(rows.map((r) => text(r.querySelector('th')))).to.deep.equal(['Ada (you)', 'Bob', 'Cy']);
    for (const row of rows) {
      const cells = [...row.querySelectorAll('td[data-level]')];
      expect(cells.length).to.equal(2);
      for (const c of cells) expect(text(c)).to.match(/^(good|fair|poor|lost)\b.*\d+ fps/);
    }
    await expect(el).shadowDom.to.be.accessible();
  });
});

describe('<rtc-video-tile> connection quality', function () {
  this.timeout(120_000);
  const base: Participant = {
    id: 'x',
    name: 'Zed',
    isLocal: false,
    stream: null,
    audioMuted: false,
    videoMuted: true,
    connectionState: 'connected',
    screenSharing: false,
    speaking: false,
    reconnecting: false,
    role: 'guest',
  };

  it('shows the grade with an accessible label, a tooltip saying why, and ::part(quality)', async () => {
    const q = gradeQuality({ connectionState: 'connected', loss: 0.2, videoExpected: false, mediaExpected: true, relayed: true });
    const tile = await fixture<RtcVideoTile>(html`<rtc-video-tile .participant=${{ ...base, quality: q }}></rtc-video-tile>`);
    const indicator = sr(tile).querySelector('[part=quality]')!;
    expect(indicator.getAttribute('role')).to.equal('img');
    expect(indicator.getAttribute('aria-label')).to.equal('Connection: poor (high packet loss)');
    expect(indicator.getAttribute('title')).to.equal('Connection: poor (high packet loss, relayed through TURN)');
    expect(indicator.getAttribute('data-level')).to.equal('poor');
    expect(tile.getAttribute('quality')).to.equal('poor');
    await expect(tile).shadowDom.to.be.accessible();
    tile.participant = { ...base, quality: gradeQuality({ connectionState: 'connected', videoExpected: false, mediaExpected: false }) };
    await tile.updateComplete;
    expect(sr(tile).querySelector('[part=quality]')!.getAttribute('aria-label')).to.equal('Connection: good');
    tile.participant = { ...base, isLocal: true, quality: undefined };
    await tile.updateComplete;
    expect(sr(tile).querySelector('[part=quality]')).to.equal(null);
    expect(tile.hasAttribute('quality')).to.equal(false);
  });
});

describe('<rtc-room> More → Call statistics', function () {
  this.timeout(120_000);
  let sig: Signaling;
  // A camera, no microphone (sound costs CPU).
  const set = sessionSet(() => ({ room: sig.room, transport: sig.transport, media: { audio: false, video: true } }), {
    timeout: 40_000,
    ignoreLeaveErrors: true,
  });
  beforeEach(async () => (sig = await signaling('server', 'stats-room')));
  afterEach(set.leaveAll);

  it('opens from the keyboard, shows the call, closes with Escape and gives focus back; remote tiles show their grade', async () => {
    const [ada, bob] = await set.room('Ada', 'Bob');
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${ada}></rtc-room>`);
    const more = await waitFor(() => sr(el).querySelector<HTMLButtonElement>('[part~=more-toggle]'), 'the More button');
    const tile = await waitFor(() => sr(el).querySelector<RtcVideoTile>(`rtc-video-tile[participant-id="${bob.localId}"]`), "Bob's tile");
    await waitFor(() => tile.getAttribute('quality'), "a grade on Bob's tile", 30_000);
    expect(deep(tile, '[part=quality]')!.getAttribute('aria-label')).to.match(/^Connection: (good|fair|poor|lost)/);

    const barBefore = sr(el).querySelector('rtc-controls')!.getBoundingClientRect();
    more.focus();
    await sendKeys({ press: 'ArrowDown' });
    const item = sr(el).querySelector<HTMLElement>('#more-menu [role=menuitem]')!;
    expect(more.getAttribute('aria-expanded')).to.equal('true');
    expect(sr(el).activeElement).to.equal(item);
    expect(text(item)).to.equal('Call statistics');
    const barOpen = sr(el).querySelector('rtc-controls')!.getBoundingClientRect();
    expect([barOpen.top, barOpen.height]).to.deep.equal([barBefore.top, barBefore.height]);
    await expect(el).shadowDom.to.be.accessible();
    // Escape closes the menu, back on More.
    await sendKeys({ press: 'Escape' });
    expect(more.getAttribute('aria-expanded')).to.equal('false');
    expect(sr(el).activeElement).to.equal(more);

    await sendKeys({ press: 'Enter' });
    await waitFor(() => sr(el).activeElement === item, 'Enter opens the menu on its item');
    await sendKeys({ press: 'Enter' });
    const dialog = await waitFor(() => sr(el).querySelector<HTMLDialogElement>('dialog[part=stats-dialog][open]'), 'the dialog');
    const stats = dialog.querySelector<RtcStats>('rtc-stats')!;
    expect(stats.session).to.equal(ada);
    await waitFor(
      () => sr(stats).querySelector(`[part=link][data-id="${bob.localId}"] [data-state=connection]`)?.textContent === 'connected',
      'the link in the panel',
    );
    expect(dialog.contains(sr(el).activeElement) || sr(el).activeElement === stats).to.equal(true);
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !dialog.open, 'Escape closes the dialog');
    await waitFor(() => sr(el).activeElement === more, 'focus back on More');
    expect(dialog.querySelector('rtc-stats'), 'the panel is gone (nothing samples for it)').to.equal(null);
  });
});
