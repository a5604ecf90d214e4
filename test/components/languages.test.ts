/**
 * Languages, through the real server in each browser: `lang` on the room (or on any ancestor, or
 * the page) switches every word of the default UI (pre-join; in a call the tiles, controls, chat
 * with a file offer, People with a raised hand, the menus and the screen-reader log), accessible
 * names and tooltips included, checked against the strings tables; Arabic mirrors the layout;
 * an app's own words win; a language change at runtime updates what is shown.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../helpers/define-all.js';
import { SocketIoTransport, languagesReady, registerStrings, en, type RtcRoom, type RtcSession, type Strings } from '../../src/index.js';
import { de } from '../../src/i18n/locales/de.js';
import { es } from '../../src/i18n/locales/es.js';
import { ar } from '../../src/i18n/locales/ar.js';
import { uniqueRoom } from '../helpers/signaling.js';
import { sessionSet } from '../helpers/sessions.js';
import { deep, waitFor } from './helpers.js';

const TABLES: Record<string, Strings> = { de, es, ar };

/**
 * Words that are the same in English and in the language (checked, so a new one is a decision,
 * not an accident): technical terms, and words German and Spanish took from English.
 */
const SAME_AS_ENGLISH: Record<string, string[]> = {
  de: ['Chat', 'Live', 'OK', 'Host', 'ICE', 'Jitter', 'Problem', ', '],
  es: ['Chat', 'ICE', 'Jitter', ', '],
  ar: ['ICE'],
};

/** Every plain string of a table, nested records included (`reactionNames`, `qualityLevels`, …), by key path. */
function plain(table: Strings): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (value: unknown, path: string) => {
    if (typeof value === 'string') out.set(path, value);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
  };
  for (const [k, v] of Object.entries(table)) visit(v, k);
  return out;
}

/**
 * What the English table's functions say with the values a test call has (names, the file, small
 * counts, device kinds), minus what the language says with the same values (e.g. "(2)").
 */
function englishPhrases(lang: Strings, names: string[]): Set<string> {
  const values: unknown[] = [...names, 0, 1, 2, 3, 'audio', 'video', true, false, undefined];
  const out = new Set<string>();
  const call = (f: unknown, args: unknown[]) => {
    try {
      const r = (f as (...a: unknown[]) => unknown)(...args);
      return typeof r === 'string' ? r : undefined;
    } catch {
      return undefined;
    }
  };
  for (const [key, f] of Object.entries(en)) {
    if (typeof f !== 'function' || key === 'error') continue;
    const g = (lang as unknown as Record<string, unknown>)[key];
    const tries = f.length <= 1 ? values.map((v) => [v]) : f.length === 2 ? values.flatMap((a) => values.map((b) => [a, b])) : [];
    for (const args of tries) {
      const english = call(f, args);
      if (english && english !== call(g, args)) out.add(english);
    }
  }
  return out;
}

/** Every text, accessible name, tooltip and placeholder under `root`, through shadow roots (whitespace collapsed). */
function collect(root: Node): string[] {
  const out: string[] = [];
  const add = (s: string | null | undefined) => {
    const t = s?.replace(/\s+/g, ' ').trim();
    if (t) out.push(t);
  };
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) return add(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
    if (node instanceof Element) {
      if (node.localName === 'style' || node.localName === 'script') return;
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext']) add(node.getAttribute(attr));
      if (node.shadowRoot) walk(node.shadowRoot);
    }
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return out;
}

/** The texts in `found` that are English (a string of the en table, or what its functions say here), not the same in `lang`. */
function englishIn(found: string[], langCode: string, names: string[]): string[] {
  const lang = TABLES[langCode]!;
  const translated = new Set(plain(lang).values());
  const english = new Set([...plain(en).values()].filter((s) => !translated.has(s)));
  for (const p of englishPhrases(lang, names)) english.add(p);
  return [...new Set(found.filter((s) => english.has(s)))];
}

describe('languages', function () {
  this.timeout(90_000);
  let url: string;
  let room: string;
  // Bob has a camera, no microphone (sound costs CPU); the rooms open their own devices.
  const { make, leaveAll, connected } = sessionSet(() => ({ room, transport: () => new SocketIoTransport(url), media: { audio: false, video: true } }));
  beforeEach(async () => {
    url = ((await (await fetch('/__signal')).json()) as { url: string }).url;
    room = uniqueRoom('lang');
    localStorage.removeItem('rtc-widgets:name');
  });
  afterEach(leaveAll);

  it('lists the words that are the same as in English, and no other', () => {
    for (const [code, table] of Object.entries(TABLES)) {
      const theirs = plain(table);
      const same = [...plain(en)].filter(([k, v]) => theirs.get(k) === v).map(([, v]) => v);
      expect([...new Set(same)].sort(), code).to.deep.equal([...SAME_AS_ENGLISH[code]!].sort());
    }
  });

  for (const code of ['de', 'es', 'ar']) {
    it(`lang="${code}": no English left in the pre-join step nor in a call (tiles, controls, chat with a file offer, People, menus, announcements)`, async () => {
      const t = TABLES[code]!;
      const el = await fixture<RtcRoom>(html`<rtc-room lang=${code} room=${room} server=${url} name="Ada"></rtc-room>`);
      const prejoin = await waitFor(() => el.shadowRoot!.querySelector('rtc-prejoin'), 'the pre-join step');
      await languagesReady();
      const join = await waitFor(() => deep<HTMLButtonElement>(prejoin, 'button[type=submit]'), 'Join');
      await waitFor(() => join.textContent!.trim() === t.join && !join.disabled, `Join says "${t.join}"`);
      await waitFor(() => deep(prejoin, 'rtc-device-picker', 'label'), 'the device pickers');

      let found = collect(el);
      expect(englishIn(found, code, ['Ada']), 'English in the pre-join step').to.deep.equal([]);
      for (const word of [t.yourName, t.join, t.camera, t.microphone, t.microphoneLevel]) expect(found, 'pre-join').to.include(word);
      expect(el.shadowRoot!.querySelector('.base')!.getAttribute('dir')).to.equal(code === 'ar' ? 'rtl' : 'ltr');

      // In the call: Bob joins after us (announced), raises his hand and offers a file.
      join.click();
      await waitFor(() => el.session?.status.get() === 'joined', 'Ada joined');
      const ada = el.session!;
      // The call view (and its screen-reader log) is there before Bob comes.
      await waitFor(() => deep(el, 'rtc-controls'), 'the call view');
      const bob = make('Bob');
      await bob.join();
      await connected(bob, [ada] as unknown as RtcSession[]);
      await waitFor(() => ada.participants.get().find((p) => p.id === bob.localId)?.connectionState === 'connected', 'Ada connected to Bob');
      bob.raiseHand();
      await bob.files.send(new File(['hello'], 'tiny.txt'), { to: ada.localId });
      const chat = await waitFor(() => deep(el, 'rtc-chat'), 'the chat');
      await waitFor(() => chat.shadowRoot!.querySelector('[data-state=offered]'), 'the file offer');
      await waitFor(() => deep(el, 'rtc-participant-list', '[part=hands]'), 'the raised hand in People');
      await waitFor(() => collect(el).includes(t.joined('Bob')), `"${t.joined('Bob')}" announced`);
      await waitFor(() => deep(el, 'rtc-video-tile[participant-id]', '[part=verify-button]'), 'the Verify button on Bob’s tile');

      found = collect(el);
      expect(englishIn(found, code, ['Ada', 'Bob', 'tiny.txt']), 'English in the call').to.deep.equal([]);
      const expected = [
        t.leave,
        t.microphone,
        t.camera,
        t.chat,
        t.people,
        t.more,
        t.react,
        t.raiseHand,
        t.callControls,
        t.callStatistics,
        t.send,
        t.attachFile,
        t.sendFilesTo,
        t.everyone,
        t.message,
        t.chatMessages,
        t.fileTransfers,
        t.wantsToSendYou,
        t.accept,
        t.decline,
        t.acceptFile('tiny.txt'),
        t.declineFile('tiny.txt'),
        t.fromPeer('Bob'),
        t.pin('Bob'),
        t.inCallCount(2),
        t.verify,
        t.youMark,
        t.raisedHands(1),
        t.lowerHandOf('Bob'),
        t.lobbySetting,
        t.lockRoom,
        t.removeName('Bob'),
        t.endForEveryone,
        t.reactionNames['👍'],
        t.offerNotice('Bob', 'tiny.txt', deep(chat, '.transfer .who')!.textContent!.split(' · ')[1]!.trim()),
      ];
      for (const word of expected) expect(found, `"${word}" shown`).to.include(word);

      // The accessible names of the controls are the language's.
      const controls = deep(el, 'rtc-controls')!;
      expect(deep(controls, '[part~=base]')!.getAttribute('aria-label')).to.equal(t.callControls);
      const names = [...controls.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.replace(/\s+/g, ' ').trim());
      expect(names).to.include.members([t.microphone, t.camera, t.leave]);
    });
  }

  it('Arabic is right to left: the room sets dir, and the control bar and tiles mirror', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room lang="ar" room=${room} server=${url} name="Ada" auto-join></rtc-room>`);
    await waitFor(() => el.session?.status.get() === 'joined', 'joined');
    await languagesReady();
    const controls = await waitFor(() => deep(el, 'rtc-controls'), 'the control bar');
    await waitFor(() => controls.shadowRoot!.querySelectorAll('button').length >= 3, 'its buttons');
    const base = controls.shadowRoot!.querySelector<HTMLElement>('[part~=base]')!;
    expect(getComputedStyle(base).direction).to.equal('rtl');
    // The bar's own buttons (the microphone first, Leave last) and the room's (slotted after the camera).
    const own = [...controls.shadowRoot!.querySelectorAll<HTMLElement>('button')].filter((b) => b.offsetParent);
    const first = own[0]!.getBoundingClientRect();
    const last = own[own.length - 1]!.getBoundingClientRect();
    expect(first.left, 'the first button (microphone) is on the right').to.be.greaterThan(last.left);
    const chatToggle = deep(el, '.chat-toggle')!.getBoundingClientRect();
    expect(chatToggle.left, 'the Chat toggle is left of the microphone').to.be.lessThan(first.left);
    // A tile's name sits at its inline start: the right edge.
    const tile = deep(el, 'rtc-video-tile[local]')!;
    const footer = deep(tile, '.footer')!.getBoundingClientRect();
    const box = tile.getBoundingClientRect();
    expect(box.right - footer.right, 'the name at the right').to.be.lessThan(footer.left - box.left);
    // The reactions picker is a row: the next emoji is on the left, and ArrowLeft goes to it.
    deep<HTMLButtonElement>(el, '.reactions-toggle')!.click();
    await waitFor(() => !deep<HTMLElement>(el, '#reactions-menu')!.hidden, 'the picker open');
    const items = [...el.shadowRoot!.querySelectorAll<HTMLElement>('#reactions-menu [role=menuitem]')];
    expect(items[1]!.getBoundingClientRect().left).to.be.lessThan(items[0]!.getBoundingClientRect().left);
    items[0]!.focus();
    await sendKeys({ press: 'ArrowLeft' });
    await waitFor(() => el.shadowRoot!.activeElement === items[1], 'ArrowLeft: the next emoji');
    await sendKeys({ press: 'ArrowRight' });
    await waitFor(() => el.shadowRoot!.activeElement === items[0], 'ArrowRight: back');
  });

  it('the page’s dir wins over the language’s, and a room follows the page’s lang', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div lang="ar" dir="ltr"><rtc-room room=${room} server=${url}></rtc-room></div>`);
    const el = wrap.querySelector('rtc-room')!;
    await waitFor(() => el.shadowRoot!.querySelector('rtc-prejoin'), 'the pre-join step');
    await languagesReady();
    const prejoin = el.shadowRoot!.querySelector('rtc-prejoin')!;
    await waitFor(() => deep(prejoin, 'button[type=submit]')?.textContent?.trim() === ar.join, 'Join in Arabic');
    expect(el.shadowRoot!.querySelector('.base')!.getAttribute('dir')).to.equal('ltr');
  });

  it('an app’s own words: the room’s strings, and registerStrings for a language', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room lang="de" room=${room} server=${url} name="Ada" auto-join .strings=${{ leave: 'Auflegen' }}></rtc-room>`);
    await waitFor(() => el.session?.status.get() === 'joined', 'joined');
    await languagesReady();
    const leave = await waitFor(() => deep(el, 'rtc-controls', '[part~=leave]'), 'Leave');
    await waitFor(() => leave.textContent!.trim() === 'Auflegen', 'the room’s word for Leave');
    expect(deep(el, 'rtc-controls', '[part~=microphone]')!.textContent!.trim()).to.equal(de.microphone);
    el.strings = { leave: 'Tschüss' };
    await waitFor(() => leave.textContent!.trim() === 'Tschüss', 'a new word, at once');

    registerStrings('de', { microphone: 'Mikro' });
    try {
      await waitFor(() => deep(el, 'rtc-controls', '[part~=microphone]')!.textContent!.trim() === 'Mikro', 'the page’s word for German');
      el.strings = undefined;
      await waitFor(() => leave.textContent!.trim() === de.leave, 'without the room’s word: German again');
    } finally {
      registerStrings('de', { microphone: de.microphone });
    }
  });

  it('a language change at runtime updates the call, and with no lang anywhere it is English', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room room=${room} server=${url} name="Ada" auto-join></rtc-room>`);
    await waitFor(() => el.session?.status.get() === 'joined', 'joined');
    const leave = await waitFor(() => deep(el, 'rtc-controls', '[part~=leave]'), 'Leave');
    await waitFor(() => leave.textContent!.trim() === en.leave, 'English by default');
    el.lang = 'es';
    await waitFor(() => leave.textContent!.trim() === es.leave, 'Spanish');
    expect(deep(el, 'rtc-chat', 'textarea')!.getAttribute('placeholder')).to.equal(es.message);
    await waitFor(() => el.shadowRoot!.querySelector('[role=log]'), 'the call view');
    const bob = make('Bob');
    await bob.join();
    await waitFor(() => collect(el).includes(es.joined('Bob')), 'announced in Spanish');
    el.lang = 'ar';
    await waitFor(() => leave.textContent!.trim() === ar.leave, 'Arabic');
    await waitFor(() => el.shadowRoot!.querySelector('.base')?.getAttribute('dir') === 'rtl', 'and right to left');
    el.removeAttribute('lang');
    await waitFor(() => leave.textContent!.trim() === en.leave && el.shadowRoot!.querySelector('.base')?.getAttribute('dir') === 'ltr', 'English again');
  });

  it('an element a page composes outside a room follows its closest lang, and its changes', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div lang="es-MX"><section><rtc-controls></rtc-controls></section></div>`);
    const controls = wrap.querySelector('rtc-controls')!;
    await languagesReady();
    const leave = await waitFor(() => controls.shadowRoot!.querySelector('[part~=leave]'), 'Leave');
    await waitFor(() => leave.textContent!.trim() === es.leave, 'Spanish (es-MX → es)');
    wrap.setAttribute('lang', 'de');
    await waitFor(() => leave.textContent!.trim() === de.leave, 'German after the page changed');
    wrap.setAttribute('lang', 'fr');
    await waitFor(() => leave.textContent!.trim() === en.leave, 'a language without strings: English');
  });
});
