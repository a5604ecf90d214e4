/**
 * The pre-call check in each language, with fake devices through the real server and TURN relay:
 * every step's result and the network verdict are worded from the strings table by the core's
 * code (the core's `message` is English), so under de/es/ar no English is left; in English the
 * table says exactly what the core says. A left-over English text is caught (checked below).
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../helpers/define-all.js';
import { languagesReady, registerStrings, en, type RtcPrecallCheck, type RtcPrecallResultEvent, type Strings, type PrecallResult } from '../../src/index.js';
import type { PrecallValues } from '../../src/i18n/en.js';
import { de } from '../../src/i18n/locales/de.js';
import { es } from '../../src/i18n/locales/es.js';
import { ar } from '../../src/i18n/locales/ar.js';
import { cleanupSessions, waitFor } from './helpers.js';

const TABLES: Record<string, Strings> = { de, es, ar };
const sr = (el: Element) => el.shadowRoot!;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const messageOf = (el: Element, id: string) => text(sr(el).querySelector(`[data-step=${id}] [part=message]`));

async function signalUrl(): Promise<string> {
  return ((await (await fetch('/__signal')).json()) as { url: string }).url;
}

/** Every text and accessible name in the element's shadow root (whitespace collapsed). */
function collect(el: Element): string[] {
  const out: string[] = [];
  const add = (s: string | null | undefined) => {
    const t = s?.replace(/\s+/g, ' ').trim();
    if (t) out.push(t);
  };
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) return add(node.textContent);
    if (node instanceof Element) {
      if (node.localName === 'style') return;
      for (const attr of ['aria-label', 'title']) add(node.getAttribute(attr));
    }
    for (const child of node.childNodes) walk(child);
  };
  walk(sr(el));
  // A paragraph's whole text too (a message is one text node, but an interpolation may split it).
  for (const p of sr(el).querySelectorAll('p, dd')) add(p.textContent);
  return out;
}

/**
 * English in `found`: the core's messages and verdict of this run, and every plain string of the
 * en table that the language does not share.
 */
function englishIn(found: string[], table: Strings, result: PrecallResult): string[] {
  const ours = new Set<string>();
  const visit = (v: unknown) => (typeof v === 'string' ? ours.add(v) : v && typeof v === 'object' && Object.values(v).forEach(visit));
  visit(table);
  const english = new Set<string>();
  const visitEn = (v: unknown) => (typeof v === 'string' ? !ours.has(v) && english.add(v) : v && typeof v === 'object' && Object.values(v).forEach(visitEn));
  visitEn(en);
  for (const s of result.steps) english.add(s.message);
  if (result.network) english.add(result.network.verdictText);
  return [...new Set(found.filter((s) => english.has(s)))];
}

async function runCheck(lang: string | undefined): Promise<{ el: RtcPrecallCheck; result: PrecallResult }> {
  const server = await signalUrl();
  const el = await fixture<RtcPrecallCheck>(html`<rtc-precall-check lang=${lang ?? ''} server=${server} ice-transport-policy="relay"></rtc-precall-check>`);
  if (!lang) el.removeAttribute('lang');
  await languagesReady();
  const finished = oneEvent(el, 'rtc-precall-result') as Promise<RtcPrecallResultEvent>;
  void el.run();
  const { result } = await finished;
  await el.updateComplete;
  return { el, result };
}

const base = (step: PrecallValues['step']): PrecallValues => ({ step, outputs: 0, turn: false, directMayWork: false, error: '', detail: '' });

describe('<rtc-precall-check> languages', function () {
  this.timeout(120_000);
  afterEach(cleanupSessions);

  it('in English the table says exactly what the core says, step by step', async () => {
    const { el, result } = await runCheck(undefined);
    for (const s of result.steps) expect(messageOf(el, s.id), s.id).to.equal(s.message);
    expect(text(sr(el).querySelector('[data-verdict]'))).to.equal(result.network!.verdictText);
    expect(result.steps.find((s) => s.id === 'network')!.code).to.equal('relay-only');
  });

  for (const code of ['de', 'es', 'ar']) {
    it(`lang="${code}": every verdict is in the language, with its figures, and no English is left`, async () => {
      const t = TABLES[code]!;
      const { el, result } = await runCheck(code);
      const step = (id: string) => result.steps.find((s) => s.id === id)!;
      expect(step('camera').code).to.equal('camera-works');
      expect(step('microphone').code).to.equal('microphone-works');
      expect(step('network').code).to.equal('relay-only');

      const plain = new Intl.NumberFormat(code, { useGrouping: false });
      const cam = result.camera!;
      expect(messageOf(el, 'camera')).to.equal(
        t.precallTexts['camera-works']({ ...base('camera'), size: `${plain.format(cam.width)}×${plain.format(cam.height)}` }),
      );
      expect(messageOf(el, 'microphone')).to.equal(t.precallTexts['microphone-works'](base('microphone')));
      const sp = step('speaker');
      expect(messageOf(el, 'speaker')).to.equal(t.precallTexts[sp.code]({ ...base('speaker'), outputs: sp.params?.outputs ?? 0 }));
      // The relay's figures, in the language's numbers, follow the verdict.
      const network = messageOf(el, 'network');
      expect(network.startsWith(t.precallTexts['relay-only'](base('network'))), network).to.equal(true);
      const rate = text(sr(el).querySelector('[data-throughput]'));
      expect(rate).to.not.equal(t.notMeasured);
      expect(network).to.include(rate);
      expect(text(sr(el).querySelector('[data-verdict]'))).to.equal(t.precallVerdicts.relay);

      const found = collect(el);
      expect(englishIn(found, t, result), 'English in the pre-call check').to.deep.equal([]);
      for (const s of result.steps) expect(found, s.id).to.not.include(s.message);

      if (code === 'de') {
        // The check catches an English text left in: a table whose word is the English one.
        registerStrings('de', { precallTexts: { ...de.precallTexts, 'microphone-works': en.precallTexts['microphone-works'] } });
        try {
          await waitFor(() => messageOf(el, 'microphone') === step('microphone').message, 'the English text shown');
          expect(englishIn(collect(el), t, result)).to.deep.equal([step('microphone').message]);
        } finally {
          registerStrings('de', { precallTexts: de.precallTexts });
        }
        await waitFor(() => messageOf(el, 'microphone') === de.precallTexts['microphone-works'](base('microphone')), 'German again');
      }
    });
  }

  it('the codes the run did not reach are worded too, by the language, without English', () => {
    const values: PrecallValues = {
      step: 'network',
      outputs: 3,
      turn: false,
      directMayWork: true,
      error: 'x',
      detail: 'boom',
      relayError: 'timeout',
      rtt: '12 ms',
      rate: '8.4 Mbit/s',
      size: '640×480',
    };
    for (const [code, t] of Object.entries(TABLES))
      for (const [key, f] of Object.entries(en.precallTexts)) {
        if (key === 'device-error') continue; // the error's own words, already in the language
        for (const step of ['camera', 'microphone', 'speaker', 'network'] as const) {
          const english = f({ ...values, step });
          const theirs = t.precallTexts[key as keyof typeof en.precallTexts]({ ...values, step });
          expect(theirs, `${code} ${key}`).to.not.equal(english);
          expect(theirs.length, `${code} ${key}`).to.be.greaterThan(0);
        }
      }
  });
});

describe('other core text, by code', () => {
  it('every transfer error and the no-relay problem are worded in each language; English is the core’s own text', async () => {
    const { transferErrorText, NO_RELAY_TEXT } = await import('../../src/core/index.js');
    const codes = [
      'you-declined',
      'you-cancelled',
      'you-left',
      'interrupted',
      'connection-lost',
      'call-ended',
      'not-accepted',
      'peer-left',
      'peer-cancelled',
      'peer-withdrew',
      'peer-declined',
      'peer-expired',
      'peer-busy',
      'peer-throttled',
      'too-large',
      'peer-damaged',
      'peer-error',
      'too-many-from',
      'overrun',
      'incomplete',
      'no-hash',
      'damaged',
      'check-failed',
      'send-failed',
      'not-delivered',
    ] as const;
    expect(en.noRelayPath).to.equal(NO_RELAY_TEXT);
    for (const code of codes) {
      const e = { code, name: 'Ada', missed: 2, total: 3, detail: 'x' };
      expect(en.transferError(e)).to.equal(transferErrorText(e));
      for (const [lang, t] of Object.entries(TABLES)) {
        // 'call-ended' keeps the English why in `detail` for the API; the languages say it themselves.
        expect(t.transferError(e), `${lang} ${code}`).to.not.equal(transferErrorText(e));
        expect(t.noRelayPath, lang).to.not.equal(NO_RELAY_TEXT);
      }
    }
  });
});
