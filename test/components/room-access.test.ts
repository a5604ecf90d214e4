/**
 * Who may join, through the real server in each browser: join tokens (the run's second server
 * requires them), roles, the lobby, and what a host can do. Sessions and `<rtc-room>`s in one page
 * stand for people on different machines.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../helpers/define-all.js';
import { RtcError, SocketIoTransport, type RtcRoom } from '../../src/index.js';
import { uniqueRoom } from '../helpers/signaling.js';
import { sessionSet } from '../helpers/sessions.js';
import { waitForFrames } from '../helpers/rtc-stats.js';
import { button, deep, waitFor } from './helpers.js';

let securedUrl: Promise<string> | undefined;
function secured(): Promise<string> {
  securedUrl ??= fetch('/__signal/secured')
    .then((r) => r.json())
    .then((info: { url?: string; error?: string }) => {
      if (!info.url) throw new Error(`no secured signaling server: ${info.error}`);
      return info.url;
    });
  return securedUrl;
}

/** A token for `room` from the test backend (the signal plugin). */
async function token(room: string, claims: { name?: string; role?: string; ttl?: number; forge?: boolean; jti?: string } = {}): Promise<string> {
  const q = new URLSearchParams({ room });
  if (claims.name) q.set('name', claims.name);
  if (claims.role) q.set('role', claims.role);
  if (claims.ttl !== undefined) q.set('ttl', String(claims.ttl));
  if (claims.forge) q.set('forge', '1');
  if (claims.jti) q.set('jti', claims.jti);
  return ((await (await fetch(`/__token?${q}`)).json()) as { token: string }).token;
}

const sr = (el: Element) => el.shadowRoot!;
const text = (el: Element) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');

describe('room access with join tokens (real server)', function () {
  this.timeout(90_000);
  let url: string;
  let room: string;
  const { make, leaveAll, connected } = sessionSet(() => ({ room, transport: () => new SocketIoTransport(url) }));
  /** For the tests that hear nothing: a camera, no microphone (sound costs CPU). */
  const camera = { media: { audio: false, video: true } };
  beforeEach(async () => {
    url = await secured();
    room = uniqueRoom('access');
  });
  afterEach(leaveAll);

  /** Join with `tok` and return the error it fails with. */
  async function refusal(tok: string | undefined): Promise<RtcError> {
    const s = make('Mallory', { token: tok, media: { audio: false, video: false } });
    const err = await s.join().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, 'the join fails').to.be.instanceOf(RtcError);
    expect(s.status.get()).to.equal('failed');
    return err as RtcError;
  }

  it('refuses a missing, forged, expired or other-room token, each with its own code and message', async () => {
    const missing = await refusal(undefined);
    expect(missing.code).to.equal('token-required');
    expect(missing.message).to.match(/invitation/i);
    const forged = await refusal(await token(room, { name: 'Mallory', forge: true }));
    expect(forged.code).to.equal('token-invalid');
    const expired = await refusal(await token(room, { name: 'Mallory', ttl: -60 }));
    expect(expired.code).to.equal('token-expired');
    expect(expired.message).to.match(/expired/);
    const other = await refusal(await token(`${room}-x`, { name: 'Mallory' }));
    expect(other.code).to.equal('token-room');
    expect(other.message).to.match(/another room/);
  });

  it('shows the refusal in <rtc-room> as a clear message', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room room=${room} server=${url} token=${await token(room, { ttl: -60 })}></rtc-room>`);
    await el.join().catch(() => undefined);
    await waitFor(() => sr(el).querySelector('[data-view="failed"]'), 'the failed view');
    expect(text(el)).to.contain('Your invitation has expired. Ask for a new link.');
    el.remove();
  });

  it('a valid token joins with its name and role, whatever name the page asks for', async () => {
    const ada = make('Whoever', { token: await token(room, { name: 'Ada', role: 'host' }), ...camera });
    const bo = make('Bo?', { token: await token(room, { name: 'Bo' }), ...camera });
    await ada.join();
    await bo.join();
    await connected(bo, [ada]);
    expect(ada.moderation.role.get()).to.equal('host');
    expect(bo.moderation.role.get()).to.equal('guest');
    expect(bo.participants.get().map((p) => [p.name, p.role])).to.deep.equal([
      ['Bo', 'guest'],
      ['Ada', 'host'],
    ]);
    expect(ada.participants.get().find((p) => !p.isLocal)?.name).to.equal('Bo');
  });

  it('a viewer watches and listens, sends nothing, and the Microphone button says why', async () => {
    const ada = make('Ada', { token: await token(room, { name: 'Ada', role: 'host' }) });
    await ada.join();
    const el = await fixture<RtcRoom>(html`<rtc-room room=${room} server=${url} token=${await token(room, { name: 'Vi', role: 'viewer' })}></rtc-room>`);
    await el.join();
    const vi = el.session!;
    await connected(vi, [ada]);
    expect(vi.moderation.role.get()).to.equal('viewer');
    expect(vi.media.state.get().stream?.getTracks() ?? [], 'no camera or microphone opened').to.have.length(0);
    await waitForFrames(vi.peerConnection(ada.localId)!, 3);
    const fromVi = ada
      .peerConnection(vi.localId)!
      .getReceivers()
      .filter((r) => r.track.readyState === 'live' && r.track.muted === false);
    expect(fromVi, 'nothing arrives from the viewer').to.have.length(0);
    const mic = await waitFor(() => deep<HTMLButtonElement>(el, 'rtc-controls', 'button[part~="microphone"]'), 'the Microphone button');
    expect(mic.getAttribute('aria-disabled')).to.equal('true');
    mic.click();
    await waitFor(() => sr(el).querySelector('[part="banner"]'), 'the banner');
    expect(vi.error.get()?.code).to.equal('not-allowed');
    expect(text(el)).to.contain('as a viewer');
    expect(vi.media.state.get().audioEnabled).to.equal(false);
    el.remove();
  });

  it('lobby: a guest waits, the host admits them from the notice, and they connect; another is denied', async () => {
    const ada = make('Ada', { token: await token(room, { name: 'Ada', role: 'host' }), ...camera });
    await ada.join();
    await ada.moderation.setLobby(true);
    // Two rooms in one window, each in a box of its own: a tile out of view gets no video.
    const host = await fixture<RtcRoom>(html`<rtc-room style="height: 280px"></rtc-room>`);
    host.session = ada;
    const guest = await fixture<RtcRoom>(
      html`<rtc-room style="height: 280px" room=${room} server=${url} token=${await token(room, { name: 'Bo' })}></rtc-room>`,
    );
    const joining = guest.join();
    await waitFor(() => sr(guest).querySelector('[data-view="waiting"]'), 'Bo waits');
    expect(text(guest)).to.contain('Waiting for the host to let you in');
    const knock = await waitFor(() => sr(host).querySelector('[part~="knock"]'), 'the knock notice for the host');
    expect(knock.textContent).to.contain('Bo wants to join');
    [...knock.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Admit')!.click();
    await joining;
    const bo = guest.session!;
    await connected(bo, [ada]);
    await connected(ada, [bo]);
    await waitForFrames(ada.peerConnection(bo.localId)!, 3);
    await waitForFrames(bo.peerConnection(ada.localId)!, 3);
    expect(ada.moderation.lobby.get()).to.deep.equal([]);

    const cy = make('Cy', { token: await token(room, { name: 'Cy' }), media: { audio: false, video: false } });
    const denied = cy.join().catch((e: unknown) => e);
    await waitFor(() => ada.moderation.lobby.get().some((k) => k.name === 'Cy'), 'Cy knocks');
    // From the People panel this time.
    const list = await fixture(html`<rtc-participant-list .session=${ada}></rtc-participant-list>`);
    await waitFor(() => button(list, 'Deny'), 'the Deny button');
    button(list, 'Deny')!.click();
    const err = (await denied) as RtcError;
    expect(err.code).to.equal('denied');
    expect(err.message).to.equal('Ada did not let you in.');
    expect(cy.status.get()).to.equal('failed');
    host.remove();
    guest.remove();
    list.remove();
  });

  it('remove: the member is disconnected, told by whom, and the same token cannot come back', async () => {
    const ada = make('Ada', { token: await token(room, { name: 'Ada', role: 'host' }), ...camera });
    const boToken = await token(room, { name: 'Bo', jti: `bo-${room}` });
    const bo = make('Bo', { token: boToken, ...camera });
    await ada.join();
    await bo.join();
    await connected(ada, [bo]);
    const list = await fixture(html`<rtc-participant-list .session=${ada}></rtc-participant-list>`);
    (await waitFor(() => sr(list).querySelector<HTMLButtonElement>('button[aria-label="Remove Bo from the call"]'), 'Remove Bo')).click();
    await waitFor(() => bo.status.get() === 'ended', 'Bo is out');
    expect(bo.error.get()?.code).to.equal('removed');
    expect(bo.error.get()?.message).to.equal('Ada removed you from the call.');
    await waitFor(() => ada.participants.get().length === 1, 'Bo is gone for Ada');
    const again = make('Bo', { token: boToken, media: { audio: false, video: false } });
    const err = (await again.join().catch((e: unknown) => e)) as RtcError;
    expect(err.code).to.equal('removed');
    list.remove();
  });

  it('a guest cannot run the room; the host asks to mute and ends the call for everyone', async () => {
    const ada = make('Ada', { token: await token(room, { name: 'Ada', role: 'host' }) });
    await ada.join();
    const el = await fixture<RtcRoom>(html`<rtc-room room=${room} server=${url} token=${await token(room, { name: 'Bo' })}></rtc-room>`);
    await el.join();
    const bo = el.session!;
    await connected(ada, [bo]);
    const refused = (await bo.moderation.remove(ada.localId).catch((e: unknown) => e)) as RtcError;
    expect(refused.code).to.equal('not-allowed');
    expect(ada.status.get()).to.equal('joined');

    await waitFor(() => bo.media.state.get().audioEnabled, 'Bo is unmuted');
    await ada.moderation.requestMute(bo.localId);
    await waitFor(() => !bo.media.state.get().audioEnabled, 'Bo muted himself at the request');
    await waitFor(() => sr(el).querySelector('[part~="info"]'), 'the note');
    expect(text(el)).to.contain('Ada asked you to mute: your microphone is off.');

    await ada.moderation.endRoom();
    await waitFor(() => sr(el).querySelector('[data-view="ended"]'), 'the call ended for Bo');
    expect(text(el)).to.contain('Ada ended the call for everyone.');
    expect(bo.peerConnection(ada.localId)).to.equal(undefined);
    el.remove();
  });
});

describe('roles set by a host (real server, no tokens)', function () {
  this.timeout(60_000);
  let url: string;
  let room: string;
  const { make, leaveAll, connected } = sessionSet(() => ({ room, transport: () => new SocketIoTransport(url) }));
  beforeEach(async () => {
    url = ((await (await fetch('/__signal')).json()) as { url: string }).url;
    room = uniqueRoom('roles');
  });
  afterEach(leaveAll);

  it('someone made a viewer closes their devices, and the others show and play nothing of theirs', async () => {
    const ada = make('Ada');
    const bo = make('Bo');
    await ada.join();
    await bo.join();
    await connected(ada, [bo]);
    await waitForFrames(ada.peerConnection(bo.localId)!, 3);
    const boAtAda = () => ada.participants.get().find((p) => p.id === bo.localId)!;
    expect(boAtAda().stream!.getTracks().length, 'Bo sends audio and video').to.equal(2);
    await ada.moderation.setRole(bo.localId, 'viewer');
    await waitFor(() => bo.moderation.role.get() === 'viewer', 'Bo is told');
    await waitFor(
      () =>
        bo.media.state
          .get()
          .stream.getTracks()
          .every((t) => t.readyState === 'ended'),
      'Bo closed his devices',
    );
    await waitFor(() => boAtAda().role === 'viewer', 'Ada sees Bo as a viewer');
    // Whatever Bo's client may still send, Ada's page neither shows nor plays it.
    expect(boAtAda().stream!.getTracks()).to.have.length(0);
    expect([boAtAda().audioMuted, boAtAda().videoMuted]).to.deep.equal([true, true]);
  });
});

describe('open rooms (real server, no tokens)', function () {
  this.timeout(60_000);
  let url: string;
  let room: string;
  const { make, leaveAll, connected } = sessionSet(() => ({ room, transport: () => new SocketIoTransport(url), media: { audio: false, video: true } }));
  beforeEach(async () => {
    url = ((await (await fetch('/__signal')).json()) as { url: string }).url;
    room = uniqueRoom('open');
  });
  afterEach(leaveAll);

  it('the first one in is host; when they leave, the next is promoted and everyone sees it', async () => {
    const a = make('A');
    const b = make('B');
    const c = make('C');
    await a.join();
    await b.join();
    await c.join();
    await connected(c, [a, b]);
    expect([a, b, c].map((s) => s.moderation.role.get())).to.deep.equal(['host', 'guest', 'guest']);
    await a.leave();
    await waitFor(() => b.moderation.role.get() === 'host', 'B is host now');
    await waitFor(() => c.participants.get().find((p) => p.id === b.localId)?.role === 'host', 'C sees B as host');
    expect(c.moderation.role.get()).to.equal('guest');
  });
});
