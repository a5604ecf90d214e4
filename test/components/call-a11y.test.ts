/**
 * Accessibility of the default UI in a real call through the real signaling server: axe-core
 * (inside every open shadow root) over a call of three with the chat open (a message and a file
 * offer in it) and the People panel open, in the dark and the light theme; the keyboard path
 * pre-join → join → mute → chat → send → leave with key presses only; and what the live regions
 * say when people join, leave, raise a hand and write.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AxeResults, Result } from 'axe-core';
import '../helpers/define-all.js';
import { SocketIoTransport, type RtcRoom, type RtcSession } from '../../src/index.js';
import { signalUrl, uniqueRoom } from '../helpers/signaling.js';
import { channelsOpen, sessionSet, remoteOf } from '../helpers/sessions.js';
import { button, deep, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const q = <T extends Element = HTMLElement>(el: Element, sel: string) => sr(el).querySelector<T>(sel);

/** axe-core (registers window.axe), run on `context` for WCAG 2.2 A/AA and best practices. */
async function axe(context: Element): Promise<AxeResults> {
  await import('axe-core');
  const run = (window as unknown as { axe: { run: (c: Element, o: object) => Promise<AxeResults> } }).axe;
  return run.run(context, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    // Page-level rules: the room is one part of a page, which owns its landmarks and headings.
    rules: { region: { enabled: false }, 'page-has-heading-one': { enabled: false }, 'landmark-one-main': { enabled: false } },
  });
}

/** One line per violation and node, for a failure message that says what and where. */
const describeViolations = (violations: Result[]) =>
  violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.flat().join(' >>> ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`)).join('\n');

async function expectNoViolations(el: Element, what: string): Promise<AxeResults> {
  const results = await axe(el);
  expect(results.violations.length, `${what}:\n${describeViolations(results.violations)}`).to.equal(0);
  // It looked inside the shadow roots: contrast was checked on text two roots deep (axe names a
  // node in a shadow root by a list of selectors, one per root).
  const deepContrast = results.passes.find((r) => r.id === 'color-contrast')?.nodes.filter((n) => n.target.some((t) => Array.isArray(t) && t.length > 2)) ?? [];
  expect(deepContrast.length, `${what}: contrast checked inside nested shadow roots`).to.be.greaterThan(0);
  // Left for review, not failures: contrast of the names over the video (axe cannot see the
  // picture behind them; their backdrop is 65 % black) and captions of the tiles' <video>s.
  return results;
}

/** The focused element, through shadow roots. */
function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** Press Tab (Shift+Tab with `back`) until `target()` has focus; every press must move focus. */
async function tabTo(target: () => Element | null | undefined, what: string, back = false, max = 30): Promise<void> {
  for (let i = 0; i < max; i++) {
    const t = target();
    if (t && deepActive() === t) return;
    const before = deepActive();
    await sendKeys({ press: back ? 'Shift+Tab' : 'Tab' });
    await waitFor(() => deepActive() !== before, `Tab moves focus (towards ${what})`);
  }
  throw new Error(`${what} not reached with ${max} presses of ${back ? 'Shift+Tab' : 'Tab'} (focus on ${deepActive()?.outerHTML.slice(0, 120)})`);
}

describe('accessibility of a whole call (real server, both themes)', function () {
  this.timeout(240_000);
  let url: string;
  let room: string;
  const set = sessionSet(() => ({ room, transport: () => new SocketIoTransport(url), devices: { storageKey: null } }), {
    linked: channelsOpen('control', 'chat', 'files'),
    ignoreLeaveErrors: true,
  });
  const made: Element[] = [];
  /** Bob and Cy: a camera, no microphone (sound costs CPU; what is said about sound here is Ada's, in her <rtc-room>). */
  const camera = { media: { audio: false, video: true } };
  beforeEach(async () => {
    url = await signalUrl();
    room = uniqueRoom('a11y');
    localStorage.removeItem('rtc-widgets:name');
  });
  afterEach(async () => {
    made.splice(0).forEach((el) => el.remove());
    await set.leaveAll();
  });

  /** Ada's `<rtc-room>` (the default UI, through the real server) in a laptop-sized box. */
  async function adaRoom(attrs: { theme?: string; name?: string } = {}): Promise<RtcRoom> {
    const el = await fixture<RtcRoom>(
      html`<rtc-room style="display: block; width: 1280px; height: 720px" room=${room} server=${url} name=${attrs.name ?? ''} theme=${attrs.theme ?? 'dark'}></rtc-room>`,
    );
    made.push(el);
    await el.updateComplete;
    return el;
  }
  const log = (el: RtcRoom) => [...sr(el).querySelectorAll('[role=log] > div')].map((d) => d.textContent);

  it('axe finds nothing in a call of three: tiles, controls, chat with a message and a file offer, People, a raised hand; dark and light', async () => {
    const bob = set.make('Bob', camera);
    await bob.join();
    const el = await adaRoom({ name: 'Ada', theme: 'dark' });
    await waitFor(() => q(el, 'rtc-prejoin'), 'the pre-join step');
    await expectNoViolations(el, 'pre-join, dark');
    await el.join();
    const ada = set.track(el.session!) as RtcSession;
    // The call view (and its announcer) arrives in a chunk of its own after joining: Cy comes once it is there.
    await waitFor(() => q(el, '[role=log]'), 'the call view');
    const cy = set.make('Cy', camera);
    await cy.join();
    await set.connected(ada, [bob, cy]);
    await set.connected(bob, [ada, cy]);
    await set.connected(cy, [ada, bob]);
    await waitFor(() => sr(el).querySelectorAll('rtc-video-tile').length === 3, 'three tiles');
    await waitFor(() => log(el).includes('Cy joined'), '"Cy joined" announced');

    // Someone writes, offers a file and raises a hand; Ada is muted (a toggle in its off state).
    await bob.chat.send('Hello Ada');
    await waitFor(() => q(el, '[role=status].visually-hidden')?.textContent === '1 unread chat message', '"1 unread chat message" said');
    await bob.files.send(new File(['minutes of the meeting\n'.repeat(50)], 'minutes.txt', { type: 'text/plain' }), { to: ada.localId });
    cy.raiseHand();
    await waitFor(() => log(el).includes('Cy raised their hand'), '"Cy raised their hand" announced');
    await ada.setMicrophoneEnabled(false);

    for (const theme of ['dark', 'light'] as const) {
      el.theme = theme;
      await el.updateComplete;
      // Chat open: the message and the offer (Accept / Decline).
      const chatToggle = q<HTMLButtonElement>(el, '[part~=chat-toggle]')!;
      if (chatToggle.getAttribute('aria-pressed') !== 'true') chatToggle.click();
      const chat = await waitFor(() => q(el, '#chat-panel:not([hidden]) rtc-chat'), 'the chat panel');
      await waitFor(() => sr(chat).textContent?.includes('Hello Ada') && deep(chat, '[part~=accept]'), 'the message and the file offer in the chat');
      await expectNoViolations(el, `chat open, ${theme}`);
      // People open: three people, Cy's hand in the queue.
      q<HTMLButtonElement>(el, '[part~=people-toggle]')!.click();
      const people = await waitFor(() => q(el, '#people-panel:not([hidden]) rtc-participant-list'), 'the People panel');
      await waitFor(() => sr(people).querySelectorAll('[part=participant]').length === 3, 'three people listed');
      await expectNoViolations(el, `People open, ${theme}`);
      q<HTMLButtonElement>(el, '[part~=people-toggle]')!.click();
    }

    // Leaving is announced too.
    await cy.leave();
    await waitFor(() => log(el).includes('Cy left'), '"Cy left" announced');
    expect(sr(el).querySelector('[role=log]')!.getAttribute('aria-live')).to.equal('polite');
  });

  it('the keyboard alone: pre-join → join → mute → chat → send → leave', async () => {
    const bob = set.make('Bob', camera);
    await bob.join();
    const el = await adaRoom({ theme: 'light' });
    const prejoin = await waitFor(() => q(el, 'rtc-prejoin'), 'the pre-join step');
    const input = await waitFor(() => deep<HTMLInputElement>(prejoin, 'input'), 'the name field');
    await waitFor(() => button(prejoin, 'Join') && !button(prejoin, 'Join')!.disabled, 'Join enabled');

    // From the top of the page to the name field, type it, on to Join, Enter.
    (document.activeElement as HTMLElement | null)?.blur();
    await tabTo(() => input, 'the name field');
    await sendKeys({ type: 'Ada' });
    expect(input.value).to.equal('Ada');
    await tabTo(() => button(prejoin, 'Join'), 'Join');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => el.session?.status.get() === 'joined', 'joined');
    const ada = set.track(el.session!) as RtcSession;
    await set.connected(ada, [bob]);
    await set.connected(bob, [ada]);
    const controls = await waitFor(() => q(el, 'rtc-controls'), 'the control bar');
    // The room put focus in the call view (the control bar), not back on the page.
    await waitFor(() => controls.matches(':focus-within'), 'focus in the control bar after joining');

    // Mute with Space: our microphone is off, and Bob sees it.
    const mic = () => deep<HTMLButtonElement>(controls, '[part~=microphone]');
    await tabTo(mic, 'the microphone button', true);
    expect(mic()!.getAttribute('aria-pressed')).to.equal('true');
    await sendKeys({ press: ' ' });
    await waitFor(() => mic()!.getAttribute('aria-pressed') === 'false' && !ada.localMedia.get().audioEnabled, 'muted');
    await waitFor(() => remoteOf(bob, ada.localId)?.audioMuted, 'Bob sees Ada muted');

    // Chat with Enter: focus lands in the message box; type, Enter sends; Bob receives it.
    const chatToggle = () => q<HTMLButtonElement>(el, '[part~=chat-toggle]');
    await tabTo(chatToggle, 'the Chat button');
    const got: string[] = [];
    bob.on('message', (m) => got.push(`${m.name}: ${m.text}`));
    await sendKeys({ press: 'Enter' });
    const chat = await waitFor(() => q(el, '#chat-panel:not([hidden]) rtc-chat'), 'the chat open');
    const box = await waitFor(() => deep<HTMLTextAreaElement>(chat, 'textarea'), 'the message box');
    await waitFor(() => deepActive() === box, 'focus in the message box');
    await sendKeys({ type: 'Hello from the keyboard' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => got.includes('Ada: Hello from the keyboard'), 'Bob got the message');
    expect(box.value, 'the box is empty again').to.equal('');

    // Escape back to the Chat button, then on to Leave, Enter: the call is over, Rejoin has focus.
    await sendKeys({ press: 'Escape' });
    await waitFor(() => deepActive() === chatToggle(), 'Escape returns to the Chat button');
    const leave = () => deep<HTMLButtonElement>(controls, '[part~=leave]');
    await tabTo(leave, 'Leave');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => ada.status.get() === 'left', 'left the call');
    await waitFor(() => bob.participants.get().length === 1, 'Bob sees Ada go');
    await waitFor(() => deepActive() === button(el, 'Rejoin'), 'focus on Rejoin');
  });
});
