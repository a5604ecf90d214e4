import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../helpers/define-all.js';
import type { RtcPrecallCheck, RtcPrecallResultEvent, RtcRoom } from '../../src/index.js';
import { button, cleanupSessions, deep, track, waitFor } from './helpers.js';
import { watchResources } from '../helpers/resources.js';

async function signalUrl(path = '/__signal'): Promise<string> {
  const reply = (await (await fetch(path)).json()) as { url?: string; error?: string };
  if (!reply.url) throw new Error(`${path}: ${reply.error}`);
  return reply.url;
}

const sr = (el: Element) => el.shadowRoot!;
const stepEl = (el: Element, id: string) => sr(el).querySelector<HTMLElement>(`[data-step=${id}]`)!;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('<rtc-precall-check>', function () {
  this.timeout(90000);
  let watch: ReturnType<typeof watchResources> | undefined;
  afterEach(async () => {
    watch?.restore();
    watch = undefined;
    await cleanupSessions();
  });

  it('alone on a page: "Test my setup" runs every step, shows progress, the verdict, RTT and throughput, and releases everything', async () => {
    const server = await signalUrl();
    const el = await fixture<RtcPrecallCheck>(html`<rtc-precall-check server=${server} ice-transport-policy="relay"></rtc-precall-check>`);
    await expect(el).shadowDom.to.be.accessible();
    const summary = sr(el).querySelector('[role=status]')!;
    expect(text(summary)).to.match(/Test your camera/);
    watch = watchResources();
    const finished = oneEvent(el, 'rtc-precall-result') as Promise<RtcPrecallResultEvent>;
    button(el, 'Test my setup')!.click();
    await waitFor(() => /Testing/.test(text(summary)), 'progress in the live region');
    expect(button(el, 'Testing…')?.getAttribute('aria-disabled')).to.equal('true');
    await waitFor(() => sr(el).querySelector('[data-status=running]'), 'a step shown running');
    const { result } = await finished;
    await el.updateComplete;
    expect(result.done).to.equal(true);
    for (const id of ['camera', 'microphone', 'network']) expect(stepEl(el, id).dataset.status, text(stepEl(el, id))).to.equal('pass');
    expect(['pass', 'warn']).to.include(stepEl(el, 'speaker').dataset.status);
    expect(text(stepEl(el, 'camera'))).to.match(/Camera: OK\. Your camera works/);
    expect(text(stepEl(el, 'microphone'))).to.match(/picks up sound/);
    expect(button(el, 'Play a test sound')).to.exist;
    const network = sr(el).querySelector('[part=network]')!;
    expect(text(network.querySelector('[data-verdict]'))).to.equal('Needs the TURN relay (works)');
    expect(text(network.querySelector('[data-rtt]'))).to.match(/^\d+(\.\d)? ms$/);
    expect(text(network.querySelector('[data-throughput]'))).to.match(/Mbit\/s$/);
    expect(text(summary)).to.match(/^Done: everything works|^Done: you can join/);
    expect(button(el, 'Test again')).to.exist;
    expect(watch.tracks.length).to.equal(2);
    expect(watch.pcs.length).to.be.greaterThan(1);
    expect(watch.released(), 'every track ended and every peer connection closed').to.equal(true);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('says so in words when the TURN secret is wrong', async () => {
    const server = await signalUrl('/__signal/turn-variant?kind=bad-secret');
    const el = await fixture<RtcPrecallCheck>(html`<rtc-precall-check server=${server} ice-transport-policy="relay"></rtc-precall-check>`);
    const fired = oneEvent(el, 'rtc-precall-result') as Promise<RtcPrecallResultEvent>;
    await el.run();
    const { result } = await fired;
    await el.updateComplete;
    expect(result.network?.verdict).to.equal('turn-failed');
    expect(stepEl(el, 'network').dataset.status).to.equal('fail');
    expect(text(stepEl(el, 'network'))).to.match(/Network: Problem\. The relay \(TURN\) server refused our credentials/);
    expect(text(sr(el).querySelector('[data-rtt]'))).to.equal('not measured');
    expect(text(sr(el).querySelector('[role=status]'))).to.match(/need attention/);
  });

  it('removed while checking: stops and releases everything', async () => {
    const server = await signalUrl();
    const el = await fixture<RtcPrecallCheck>(html`<rtc-precall-check server=${server}></rtc-precall-check>`);
    watch = watchResources();
    const running = el.run().catch((e: unknown) => e);
    await waitFor(() => watch!.tracks.length > 0 && watch!.pcs.length > 0, 'a camera and a peer connection open');
    el.remove();
    expect(((await running) as DOMException).name).to.equal('AbortError');
    const w = watch;
    await waitFor(() => w.released(), 'everything released after removal', 10000);
  });

  it('in <rtc-room precall-check>: shown in the pre-join step, tests the session’s devices, and leaves the preview alone', async () => {
    const server = await signalUrl();
    const room = await fixture<RtcRoom>(html`<rtc-room room=${`precall-${Math.random().toString(36).slice(2)}`} server=${server} precall-check></rtc-room>`);
    track(room.session!);
    const check = await waitFor(() => deep<RtcPrecallCheck>(room, 'rtc-prejoin rtc-precall-check'), 'the check in the pre-join step');
    await waitFor(() => check.session === room.session, 'the check gets the room’s session');
    await waitFor(() => room.session!.localMedia.get().hasVideo, 'the preview camera open');
    const preview = room.session!.localMedia.get().stream.getTracks();
    // The room's own connection, made ahead for joining, is not the check's.
    await room.session!.prepare();
    watch = watchResources();
    const finished = oneEvent(room, 'rtc-precall-result') as Promise<RtcPrecallResultEvent>;
    button(check, 'Test my setup')!.click();
    const { result } = await finished;
    expect(result.steps.find((s) => s.id === 'camera')!.status).to.equal('pass');
    expect(result.network?.relay?.connected).to.equal(true);
    expect(watch.released(), 'the check’s own tracks and connections released').to.equal(true);
    expect(
      preview.every((t) => t.readyState === 'live'),
      'the preview keeps running',
    ).to.equal(true);
    await expect(room).shadowDom.to.be.accessible();
  });

  it('<rtc-room> without precall-check shows none', async () => {
    const room = await fixture<RtcRoom>(html`<rtc-room room="precall-none" server="http://127.0.0.1:9"></rtc-room>`);
    track(room.session!);
    await waitFor(() => deep(room, 'rtc-prejoin'), 'the pre-join step');
    expect(deep(room, 'rtc-prejoin rtc-precall-check')).to.equal(null);
  });
});
