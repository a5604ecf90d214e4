import { expect, fixture, html, elementUpdated } from '@open-wc/testing';
import '../helpers/define-all.js';
import type { Participant, RtcParticipantList, RtcSession } from '../../src/index.js';
import { store } from '../../src/core/state/store.js';
import { LoopbackHub, cleanupSessions, connectedPeers, deep, makeSession, waitFor } from './helpers.js';

const EVIL = '<img src=x onerror=window.__pwned=1>';
const sr = (el: Element) => el.shadowRoot!;
const items = (el: Element) => [...sr(el).querySelectorAll<HTMLLIElement>('[part=participant]')];
/** What a screen reader reads for each row (visually hidden words included, icons not). */
const rows = (el: Element) =>
  items(el).map(
    (li) => li.querySelector('.who')!.textContent!.replace(/\s+/g, ' ').trim() + [...li.querySelectorAll('.state')].map((s) => s.textContent).join(''),
  );

const person = (over: Partial<Participant>): Participant => ({
  id: 'x',
  name: 'X',
  isLocal: false,
  stream: null,
  audioMuted: false,
  videoMuted: false,
  connectionState: 'connected',
  screenSharing: false,
  speaking: false,
  reconnecting: false,
  role: 'guest',
  ...over,
});

/** A stand-in session: the list reads only `participants`. */
function fakeSession(list: Participant[]) {
  const participants = store(list);
  return { session: { participants } as unknown as RtcSession, participants };
}

describe('<rtc-participant-list>', function () {
  this.timeout(60000);
  let hub: LoopbackHub;

  beforeEach(() => {
    hub = new LoopbackHub();
    delete (window as { __pwned?: unknown }).__pwned;
  });
  afterEach(async () => {
    // The room first: one left in the page after its session left kept Firefox from navigating to
    // the next test file for over 30 s.
    document.querySelectorAll('rtc-room').forEach((el) => el.remove());
    await cleanupSessions();
  });

  it('lists everyone with their states in words, ourselves first with "(you)"', async () => {
    const { session, participants } = fakeSession([
      person({ id: 'me', name: 'Ada', isLocal: true, audioMuted: true }),
      person({ id: 'b', name: 'Bob', speaking: true }),
      person({ id: 'c', name: 'Cy', videoMuted: true, screenSharing: true }),
      person({ id: 'd', name: 'Di', videoMuted: true, connectionState: 'disconnected' }),
      // Muted wins over a stale speaking flag.
      person({ id: 'e', name: 'Eve', speaking: true, audioMuted: true }),
    ]);
    const el = await fixture<RtcParticipantList>(html`<rtc-participant-list .session=${session}></rtc-participant-list>`);
    expect(sr(el).querySelector('[part=heading]')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('People (5)');
    expect(rows(el)).to.deep.equal([
      'Ada (you), Microphone muted',
      'Bob, Speaking',
      // A shared screen is a picture: not "Camera off".
      'Cy, Sharing screen',
      'Di, Reconnecting…, Camera off',
      'Eve, Microphone muted',
    ]);
    const [, bob, cy] = items(el);
    expect(bob.hasAttribute('data-speaking')).to.equal(true);
    expect(cy.hasAttribute('data-screen-sharing') && !cy.hasAttribute('data-video-muted')).to.equal(true);
    expect(deep(el, '[part=avatar]')!.textContent).to.equal('A');
    expect(sr(el).querySelector('ul')!.getAttribute('aria-labelledby')).to.equal('heading');
    await expect(el).to.be.accessible();

    participants.set([person({ id: 'me', name: 'Ada', isLocal: true })]);
    await elementUpdated(el);
    expect(rows(el)).to.deep.equal(['Ada (you)']);
  });

  it('renders names as text, never as HTML', async () => {
    const { session } = fakeSession([person({ id: 'me', name: EVIL, isLocal: true })]);
    const el = await fixture<RtcParticipantList>(html`<rtc-participant-list .session=${session}></rtc-participant-list>`);
    expect(deep(el, '[part=name]')!.textContent).to.equal(EVIL);
    expect(sr(el).querySelector('img')).to.equal(null);
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });

  it('follows a real call: joins, mute and camera state from the peer, departures', async () => {
    const a = makeSession(hub, 'people', 'Ada');
    const b = makeSession(hub, 'people', 'Bob');
    await a.join();
    const el = await fixture<RtcParticipantList>(html`<rtc-participant-list .session=${a}></rtc-participant-list>`);
    expect(rows(el)).to.deep.equal(['Ada (you)']);
    await b.join();
    await connectedPeers(a, 1);
    // (Firefox's fake microphone is a steady tone: Bob may be listed as speaking.)
    await waitFor(() => /^Ada \(you\)(, Speaking)?\|Bob(, Speaking)?$/.test(rows(el).join('|')), 'Bob listed, connected, nothing muted');
    await b.setMicrophoneEnabled(false);
    await b.setCameraEnabled(false);
    await waitFor(() => rows(el)[1] === 'Bob, Microphone muted, Camera off', 'Bob muted and camera off (over the control channel)');
    await expect(el).to.be.accessible();
    await b.leave();
    await waitFor(() => rows(el).length === 1, 'Bob gone');
  });

  it('takes the session of an enclosing <rtc-room>', async () => {
    const a = makeSession(hub, 'people-ctx', 'Ada');
    const room = await fixture(html`<rtc-room .session=${a}><rtc-participant-list></rtc-participant-list></rtc-room>`);
    const el = room.querySelector('rtc-participant-list')!;
    expect(el.session).to.equal(a);
    await elementUpdated(el);
    expect(items(el).map((li) => li.querySelector('.who')!.textContent!.trim())).to.deep.equal(['Ada (you)']);
  });

  it('with no session renders its empty slot', async () => {
    const el = await fixture<RtcParticipantList>(html`<rtc-participant-list><p slot="empty">Nobody</p></rtc-participant-list>`);
    expect(sr(el).querySelector('ul')).to.equal(null);
    expect(sr(el).querySelector<HTMLSlotElement>('slot[name=empty]')!.assignedElements()[0].textContent).to.equal('Nobody');
    await expect(el).to.be.accessible();
  });
});
