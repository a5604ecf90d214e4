import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../helpers/define-all.js';
import { RtcSession } from '../../src/core/index.js';
import type { RtcChat, RtcMessageEvent, RtcRoom, RtcTransferCompleteEvent } from '../../src/index.js';
import { SIGNALING, signaling } from '../helpers/signaling.js';
import { languagesReady } from '../../src/i18n/localize.js';
import { de } from '../../src/i18n/locales/de.js';
import { LoopbackHub, button, cleanupSessions, connectedPeers, deep, makeSession, sleep, track, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const quiet = { media: { audio: false, video: false } };
type Pwned = { __pwned?: number };

/** Choose files in the "Attach file" input, as the file picker would. */
function pick(chat: Element, ...files: File[]): void {
  const input = sr(chat).querySelector<HTMLInputElement>('input[type=file]')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
const rows = (chat: Element) => [...sr(chat).querySelectorAll<HTMLElement>('[part=transfer]')];
const row = (chat: Element, name: string) => rows(chat).find((r) => r.querySelector('.file')?.textContent === name);
const texts = (chat: Element) => [...sr(chat).querySelectorAll('[part=text]')].map((t) => t.textContent);
const randomFile = (size: number, name: string) => {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let at = 0; at < size; at += 65536) parts.push(crypto.getRandomValues(new Uint8Array(Math.min(65536, size - at))));
  return new File(parts, name);
};

describe('<rtc-chat>', function () {
  this.timeout(90000);
  let hub: LoopbackHub;

  beforeEach(() => {
    hub = new LoopbackHub();
    delete (window as Pwned).__pwned;
  });
  afterEach(cleanupSessions);

  it("in rtc-room's default UI: a Chat toggle with an unread count, and chat both ways", async () => {
    const a = makeSession(hub, 'room-chat', 'Ada', quiet);
    const b = makeSession(hub, 'room-chat', 'Bob', quiet);
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a} auto-join></rtc-room>`);
    await waitFor(() => sr(el).querySelector('[data-view=call]'), 'the call view');
    await b.join();
    await Promise.all([connectedPeers(a, 1), connectedPeers(b, 1)]);

    const toggle = sr(el).querySelector<HTMLButtonElement>('[part~=chat-toggle]')!;
    const panel = sr(el).querySelector<HTMLElement>('#chat-panel')!;
    expect(toggle.textContent!.trim()).to.equal('Chat');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    expect(toggle.getAttribute('aria-controls')).to.equal(panel.id);
    expect(toggle.assignedSlot, 'in the control bar').to.exist;
    expect(panel.hidden).to.equal(true);

    // A message while the panel is closed: counted and announced.
    await waitFor(() => b.dataChannel(a.localId, 'chat')?.readyState === 'open', 'chat channel');
    const event = oneEvent(el, 'rtc-message') as Promise<RtcMessageEvent>;
    await b.chat.send('Hi Ada');
    expect((await event).message).to.include({ text: 'Hi Ada', name: 'Bob' });
    await waitFor(() => toggle.querySelector('.badge')?.textContent === '1', 'unread badge');
    expect(toggle.textContent).to.contain('1 unread');
    expect(sr(el).querySelector('[role=status][aria-live=polite]')!.textContent).to.equal('1 unread chat message');

    // Open: the count goes, the panel shows, focus lands in the Message box.
    toggle.click();
    await waitFor(() => toggle.getAttribute('aria-pressed') === 'true', 'pressed');
    expect(panel.hidden).to.equal(false);
    expect(toggle.querySelector('.badge')).to.equal(null);
    const chat = panel.querySelector<RtcChat>('rtc-chat')!;
    await waitFor(() => texts(chat).includes('Hi Ada'), 'the message in the panel');
    const msg = sr(chat).querySelector('[part=message]')!;
    expect(msg.querySelector('[part=name]')!.textContent).to.equal('Bob');
    expect(msg.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    const box = sr(chat).querySelector('textarea')!;
    expect(sr(chat).activeElement).to.equal(box);
    expect(sr(chat).querySelector(`label[for=${box.id}]`)!.textContent).to.equal('Message');
    expect(sr(chat).querySelector('[role=log]')).to.exist;

    // Enter sends; Shift+Enter would not.
    const got: string[] = [];
    b.on('message', (m) => got.push(m.text));
    await sendKeys({ type: 'Hello' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'Bob' });
    expect(got, 'Shift+Enter only breaks the line').to.have.length(0);
    await sendKeys({ press: 'Enter' });
    await waitFor(() => got.length === 1, 'Bob got it');
    expect(got).to.deep.equal(['Hello\nBob']);
    expect(box.value).to.equal('');
    // The Send button too.
    box.value = 'Second';
    button(chat, 'Send')!.click();
    await waitFor(() => got.length === 2, 'Bob got the second');
    await sleep(200);
    expect(got).to.deep.equal(['Hello\nBob', 'Second']);
    await waitFor(() => texts(chat).join('|') === 'Hi Ada|Hello\nBob|Second', 'newest at the bottom');
    expect(sr(chat).querySelectorAll('[part=message].local')).to.have.length(2);

    await expect(el).shadowDom.to.be.accessible();
    await expect(chat).shadowDom.to.be.accessible();

    // Escape closes the panel and returns to the toggle.
    box.focus();
    await sendKeys({ press: 'Escape' });
    await waitFor(() => panel.hidden, 'closed');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    await waitFor(() => sr(el).activeElement === toggle, 'focus back on the toggle');
  });

  it('follows new messages while the reader is at the bottom, and stays where they scrolled up to', async () => {
    const a = makeSession(hub, 'follow', 'Ada', quiet);
    const b = makeSession(hub, 'follow', 'Bob', quiet);
    const chat = await fixture<RtcChat>(html`<rtc-chat .session=${a} style="display:block;height:240px"></rtc-chat>`);
    await a.join();
    await b.join();
    await waitFor(() => b.dataChannel(a.localId, 'chat')?.readyState === 'open', 'chat channel');
    const log = sr(chat).querySelector<HTMLElement>('.log')!;
    const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    for (let i = 0; i < 12; i++) await b.chat.send(`line ${i}`);
    await waitFor(() => texts(chat).length === 12, 'twelve messages');
    await chat.updateComplete;
    expect(log.scrollHeight, 'the log overflows').to.be.greaterThan(log.clientHeight);
    expect(atBottom(), 'followed to the newest').to.equal(true);

    // The reader scrolls up to read: a new message leaves them there.
    log.scrollTop = 0;
    await oneEvent(log, 'scroll');
    await b.chat.send('while reading');
    await waitFor(() => texts(chat).length === 13, 'the new message');
    await chat.updateComplete;
    expect(log.scrollTop, 'still where the reader is').to.equal(0);

    // Back at the bottom: followed again.
    log.scrollTop = log.scrollHeight;
    await oneEvent(log, 'scroll');
    await b.chat.send('the latest');
    await waitFor(() => texts(chat).length === 14, 'the latest');
    await chat.updateComplete;
    expect(atBottom(), 'followed again').to.equal(true);
  });

  it('works standalone in a custom rtc-room layout: files to one person, progress, Accept, cancel, and a download link only when verified', async () => {
    const a = makeSession(hub, 'custom', 'Ada', quiet);
    // Bob and Cy take files without asking; Ada (the chat here) is asked.
    const b = makeSession(hub, 'custom', 'Bob', { ...quiet, files: { autoAccept: 'all' } });
    const c = makeSession(hub, 'custom', 'Cy', { ...quiet, files: { autoAccept: 'all' } });
    const el = await fixture<RtcRoom>(html`<rtc-room .session=${a} auto-join><rtc-chat></rtc-chat></rtc-room>`);
    const chat = el.querySelector('rtc-chat')!;
    await waitFor(() => a.status.get() === 'joined', 'A joined');
    await b.join();
    await c.join();
    await Promise.all([connectedPeers(a, 2), connectedPeers(b, 2), connectedPeers(c, 2)]);
    expect(chat.session).to.equal(a);
    await expect(chat).shadowDom.to.be.accessible();

    // To Bob only, chosen in the picker.
    const select = sr(chat).querySelector('select')!;
    await waitFor(() => select.options.length === 3, 'Everyone, Bob, Cy');
    expect([...select.options].map((o) => o.textContent)).to.deep.equal(['Everyone', 'Bob', 'Cy']);
    select.value = b.localId;
    select.dispatchEvent(new Event('change'));
    const file = randomFile(4 * 1024 * 1024, 'report.pdf');
    const complete = oneEvent(el, 'rtc-transfer-complete') as Promise<RtcTransferCompleteEvent>;
    // A 4 MiB file may be through between two polls: every progress bar the row ever shows is noted.
    const bars: number[] = [];
    const seen = new MutationObserver(() => {
      const bar = row(chat, 'report.pdf')?.querySelector('progress');
      if (bar) bars.push(Number(bar.max));
    });
    seen.observe(sr(chat), { childList: true, subtree: true, attributes: true });
    pick(chat, file);
    const sending = await waitFor(() => row(chat, 'report.pdf'), 'a row for the transfer');
    expect(sending.querySelector('.who')!.textContent).to.contain('to Bob');
    expect((await complete).transfer).to.include({ direction: 'send', state: 'done' });
    seen.disconnect();
    expect(bars.length, 'a progress bar while sending').to.be.above(0);
    expect(bars.every((max) => max === file.size)).to.equal(true);
    // Looked up again: the row of an offer still waiting for its answer is another element than the
    // row of the transfer it becomes (a busy machine may show us the first).
    const done = await waitFor(() => (row(chat, 'report.pdf')?.dataset.state === 'done' ? row(chat, 'report.pdf') : undefined), 'row done');
    expect(done.querySelector('progress')).to.equal(null);
    expect(done.textContent).to.contain('Sent');
    expect(b.files.transfers.get().map((t) => t.state)).to.deep.equal(['done']);
    expect(c.files.transfers.get()).to.have.length(0);

    // Bob sends one back: the link appears only once it is complete and verified.
    let sawLinkEarly = false;
    const watch = setInterval(() => {
      const r = row(chat, 'back.bin');
      if (r && r.dataset.state === 'receiving' && r.querySelector('a')) sawLinkEarly = true;
    }, 10);
    await b.files.send(randomFile(3 * 1024 * 1024, 'back.bin'), { to: a.localId });
    // Offered first: Accept / Decline, no byte before Accept.
    const offer = await waitFor(() => (row(chat, 'back.bin')?.dataset.state === 'offered' ? row(chat, 'back.bin') : undefined), 'the offer row');
    expect(offer.querySelector('.who')!.textContent).to.contain('from Bob');
    expect(offer.querySelector('progress')).to.equal(null);
    await waitFor(() => sr(chat).querySelector('[role=status]')!.textContent!.startsWith('Bob wants to send you back.bin'), 'the offer announced');
    await expect(chat).shadowDom.to.be.accessible();
    const accept = button(chat, 'Accept')!;
    expect(accept.getAttribute('aria-label')).to.equal('Accept back.bin');
    expect(a.files.transfers.get().find((t) => t.name === 'back.bin')!.bytes).to.equal(0);
    accept.click();
    const link = await waitFor(() => row(chat, 'back.bin')?.querySelector<HTMLAnchorElement>('a[part=download]'), 'download link');
    clearInterval(watch);
    expect(sawLinkEarly).to.equal(false);
    expect(link.getAttribute('download')).to.equal('back.bin');
    expect(link.href).to.match(/^blob:/);
    expect((await (await fetch(link.href)).blob()).size).to.equal(3 * 1024 * 1024);

    // Cancel from the row (dropped on the chat, to everyone): both receivers hear of it.
    select.value = '';
    select.dispatchEvent(new Event('change'));
    const dt = new DataTransfer();
    dt.items.add(randomFile(16 * 1024 * 1024, 'big.iso'));
    sr(chat)
      .querySelector('[part=base]')!
      .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    const big = await waitFor(() => row(chat, 'big.iso'), 'big row');
    expect(big.querySelector('.who')!.textContent).to.contain('to everyone');
    await waitFor(() => b.files.transfers.get().some((t) => t.name === 'big.iso' && t.bytes > 0), 'Bob receiving');
    // The row is rendered anew when the offer turns into a transfer: look it up again each time.
    const cancel = await waitFor(
      () => [...(row(chat, 'big.iso')?.querySelectorAll('button') ?? [])].find((x) => x.textContent!.trim() === 'Cancel'),
      'Cancel on the row',
    );
    expect(cancel.getAttribute('aria-label')).to.equal('Cancel big.iso');
    cancel.click();
    await waitFor(() => row(chat, 'big.iso')?.dataset.state === 'cancelled', 'cancelled here');
    for (const s of [b, c]) await waitFor(() => s.files.transfers.get().find((t) => t.name === 'big.iso')?.state === 'cancelled', `${s.name}: cancelled`);
    expect(b.files.heldBytes() + c.files.heldBytes()).to.equal(0);
    await waitFor(() => sr(chat).querySelector('[role=status]')!.textContent === 'big.iso: cancelled.', 'announced');

    // Dismiss removes the row.
    [...row(chat, 'big.iso')!.querySelectorAll('button')].find((x) => x.textContent!.trim() === 'Dismiss')!.click();
    await waitFor(() => !row(chat, 'big.iso'), 'dismissed');
  });

  // Also through the real signaling server: the hostile name travels through it.
  for (const kind of SIGNALING)
    it(`shows hostile names, messages and file names as text: nothing runs (${kind} signaling)`, async () => {
      const sig = await signaling(kind, 'xss');
      const evilName = '<img src=x onerror="window.__pwned=1">';
      const a = track(new RtcSession({ room: sig.room, name: 'Ada', transport: sig.transport, ...quiet }));
      const b = track(new RtcSession({ room: sig.room, name: evilName, transport: sig.transport, ...quiet }));
      const chat = await fixture<RtcChat>(html`<rtc-chat .session=${a}></rtc-chat>`);
      await a.join();
      await b.join();
      await Promise.all([connectedPeers(a, 1), connectedPeers(b, 1)]);
      await waitFor(() => b.dataChannel(a.localId, 'files')?.readyState === 'open', 'channels open');
      const evilText = '<script>window.__pwned=2</script><img src=x onerror="window.__pwned=3"><b>bold</b>';
      const evilFile = '<img src=x onerror="window.__pwned=4">\u202Egnp.html';
      await b.chat.send(evilText);
      await b.files.send(new File(['<script>window.__pwned=5</script>'], evilFile, { type: 'text/html' }));
      // The offer row names the file as text; accept it.
      (await waitFor(() => button(chat, 'Accept'), 'the offer')).click();
      const link = await waitFor(() => sr(chat).querySelector<HTMLAnchorElement>('a[part=download]'), 'the file');
      await waitFor(() => texts(chat).length === 1, 'the message');
      // Let any injected image error handler fire.
      await sleep(500);

      expect((window as Pwned).__pwned).to.equal(undefined);
      expect(sr(chat).querySelectorAll('img, script, b')).to.have.length(0);
      expect(texts(chat)).to.deep.equal([evilText]);
      expect(sr(chat).querySelector('[part=name]')!.textContent).to.equal(evilName);
      expect([...sr(chat).querySelectorAll('option')].map((o) => o.textContent)).to.deep.equal(['Everyone', evilName]);
      const shown = row(chat, link.getAttribute('download')!)!;
      expect(shown.querySelector('.who')!.textContent).to.contain(evilName);
      // A download name without markup, path or bidi tricks, and a type that cannot run here.
      const download = link.getAttribute('download')!;
      expect(download).to.not.match(/[<>/\\"\u202E]/);
      expect(download.endsWith('.html')).to.equal(true);
      expect(a.files.transfers.get()[0].blob!.type).to.equal('application/octet-stream');
      await expect(chat).shadowDom.to.be.accessible();
      expect(deep(chat, '[part=log]')!.getAttribute('role')).to.equal('log');
      expect(sig.serverErrors, 'server-error events').to.deep.equal([]);
    });

  it('offers wait for Accept or Decline; files-auto-accept and files-max-size set the policy', async () => {
    const a = makeSession(hub, 'offers', 'Ada', quiet);
    const b = makeSession(hub, 'offers', 'Bob', quiet);
    const chat = await fixture<RtcChat>(html`<rtc-chat .session=${a} files-auto-accept="1000" files-max-size="5000"></rtc-chat>`);
    expect(a.files.policy).to.deep.equal({ autoAccept: 1000, maxFileSize: 5000 });
    await a.join();
    await b.join();
    await Promise.all([connectedPeers(a, 1), connectedPeers(b, 1)]);
    await waitFor(() => b.dataChannel(a.localId, 'files')?.readyState === 'open', 'files channel');

    // Up to 1000 bytes: taken without asking.
    const small = await b.files.send(new File(['x'.repeat(1000)], 'small.txt'));
    expect((await b.files.settled(small.id)).state).to.equal('done');
    await waitFor(() => row(chat, 'small.txt')?.querySelector('a[part=download]'), 'small.txt linked');
    // Over 5000 bytes: refused outright, no row.
    const huge = await b.files.send(new File(['x'.repeat(5001)], 'huge.txt'));
    expect(await b.files.settled(huge.id)).to.include({ state: 'failed', error: 'The file is too large for Ada.' });
    expect(row(chat, 'huge.txt')).to.equal(undefined);
    // In between: asked. Decline → the sender sees "declined", nothing moved.
    const mid = await b.files.send(new File(['x'.repeat(3000)], 'mid.txt'));
    await waitFor(() => row(chat, 'mid.txt')?.dataset.state === 'offered', 'the offer row');
    expect(button(chat, 'Decline')!.getAttribute('aria-label')).to.equal('Decline mid.txt');
    button(chat, 'Decline')!.click();
    expect(await b.files.settled(mid.id)).to.include({ state: 'declined', error: 'Ada declined it.', bytes: 0 });
    await waitFor(() => row(chat, 'mid.txt')?.dataset.state === 'declined', 'declined row');
    expect(row(chat, 'mid.txt')!.textContent).to.contain('Declined');
    expect(row(chat, 'mid.txt')!.querySelector('a')).to.equal(null);

    // The sender's own row waits visibly, then says why.
    const bChat = await fixture<RtcChat>(html`<rtc-chat .session=${b}></rtc-chat>`);
    chat.setAttribute('files-auto-accept', 'none');
    await chat.updateComplete;
    expect(a.files.policy.autoAccept).to.equal('none');
    const tiny = await b.files.send(new File(['y'], 'tiny.txt'));
    const waiting = await waitFor(() => (row(bChat, 'tiny.txt')?.dataset.state === 'offered' ? row(bChat, 'tiny.txt') : undefined), 'waiting row at Bob');
    expect(waiting.textContent).to.contain('Waiting for Ada to accept');
    await waitFor(() => button(chat, 'Decline'), 'offer at Ada');
    button(chat, 'Decline')!.click();
    await b.files.settled(tiny.id);
    await waitFor(() => row(bChat, 'tiny.txt')?.dataset.state === 'declined', 'declined at Bob');
    expect(row(bChat, 'tiny.txt')!.textContent).to.contain('Ada declined it.');
    await expect(bChat).shadowDom.to.be.accessible();
    // The why is the core's code, worded in the element's language (the English `error` stays for the API).
    expect((await b.files.settled(tiny.id)).errorInfo).to.deep.equal({ code: 'peer-declined', name: 'Ada' });
    bChat.lang = 'de';
    await languagesReady();
    await waitFor(() => row(bChat, 'tiny.txt')!.textContent!.includes(de.transferError({ code: 'peer-declined', name: 'Ada' })), 'the why in German');
    expect(row(bChat, 'tiny.txt')!.textContent).to.not.contain('Ada declined it.');
  });

  it('rtc-room forwards files-auto-accept and files-max-size to its session', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room room="policy-room" files-auto-accept="all" files-max-size="1000"></rtc-room>`);
    await waitFor(() => el.session, 'the room made its session');
    expect(el.session!.files.policy).to.deep.equal({ autoAccept: 'all', maxFileSize: 1000 });
    el.setAttribute('files-auto-accept', '5000');
    await el.updateComplete;
    expect(el.session!.files.policy).to.deep.equal({ autoAccept: 5000, maxFileSize: 1000 });
    el.setAttribute('files-auto-accept', 'none');
    await el.updateComplete;
    expect(el.session!.files.policy.autoAccept).to.equal('none');
  });

  it('marks history handed over on joining: "Earlier messages, shared by …" (server signaling: keys)', async () => {
    const sig = await signaling('server', 'relayed');
    const a = track(new RtcSession({ room: sig.room, name: 'Ada', transport: sig.transport, ...quiet }));
    const b = track(new RtcSession({ room: sig.room, name: 'Bob', transport: sig.transport, ...quiet }));
    await a.join();
    await b.join();
    await Promise.all([connectedPeers(a, 1), connectedPeers(b, 1)]);
    await waitFor(() => b.dataChannel(a.localId, 'chat')?.readyState === 'open', 'chat channel');
    await a.chat.send('before you came');
    await waitFor(() => b.chat.messages.get().length === 1, 'at Bob');
    const c = track(new RtcSession({ room: sig.room, name: 'Cy', transport: sig.transport, ...quiet }));
    const chat = await fixture<RtcChat>(html`<rtc-chat .session=${c}></rtc-chat>`);
    await c.join();
    await waitFor(() => texts(chat).includes('before you came'), 'history at Cy');
    await waitFor(() => c.participants.get().length === 3, 'everyone');
    await b.chat.send('welcome');
    await waitFor(() => texts(chat).includes('welcome'), 'live at Cy');
    const note = sr(chat).querySelector('[part=relayed]')!;
    const by = c.chat.messages.get()[0].relayedBy;
    expect(note.textContent).to.equal(`Earlier messages, shared by ${by === a.localId ? 'Ada' : 'Bob'}`);
    const shown = [...sr(chat).querySelectorAll<HTMLElement>('[part~=message]')];
    expect(shown.map((m) => m.classList.contains('relayed'))).to.deep.equal([true, false]);
    expect(shown[0].dataset.relayedBy).to.equal(by);
    // The note comes first, then the history, then what was seen live.
    expect([...sr(chat).querySelector('[part=log]')!.children].map((e) => e.getAttribute('part'))).to.deep.equal(['relayed', 'message', 'message']);
    await expect(chat).shadowDom.to.be.accessible();
    expect(sig.serverErrors).to.deep.equal([]);
  });

  it('without a session: an empty state and disabled controls', async () => {
    const chat = await fixture<RtcChat>(html`<rtc-chat></rtc-chat>`);
    expect(sr(chat).querySelector('.empty')!.textContent).to.equal('Not connected to a call.');
    expect(button(chat, 'Send')!.disabled).to.equal(true);
    expect(button(chat, 'Attach file')!.disabled).to.equal(true);
    expect(sr(chat).querySelector('textarea')!.disabled).to.equal(true);
    await expect(chat).shadowDom.to.be.accessible();
  });
});
