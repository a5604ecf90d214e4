/**
 * Driving the demo page (or any page with one `<rtc-room>`) as a user, and reading the call's
 * state out of it. The in-page half lives in in-page.js (injected as a string, see there).
 *
 *   const alice = await openPeer(chromium.browser, `${server.url}/?room=${room}`);
 *   await alice.join('Alice');
 *   await expectDecoding(alice, ['Bob']);
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, ElementHandle, Page } from 'puppeteer-core';
import { sleep } from '../../helpers/wait.js';

export { sleep };

const IN_PAGE = readFileSync(new URL('./in-page.js', import.meta.url), 'utf8');

/** A room name no other test (or earlier run) uses. */
export function uniqueRoom(prefix = 'e2e'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** E2E_DEBUG=1: timings of every wait, page opening and closing on stderr. */
export function debug(line: string): void {
  if (process.env.E2E_DEBUG) console.error(`[e2e] ${line}`);
}

/** `promise`, or a rejection once `ms` have passed: a page that stops answering must not hold a wait forever. */
function settleWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Poll `check` until it returns a value that is not undefined/false; fail with `describe()` after `timeoutMs`.
 * A check or description that never settles (a busy or hung page) counts as not yet true, so the
 * wait still ends at its deadline with a message instead of at the test's timeout with none; one
 * check waits at most 15 s, so a single lost answer does not use up the whole wait.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  {
    timeoutMs = 15_000,
    intervalMs = 250,
    what = 'condition',
    describe,
  }: { timeoutMs?: number; intervalMs?: number; what?: string; describe?: () => Promise<string> | string } = {},
): Promise<T> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await settleWithin(Promise.resolve().then(check), Math.min(Math.max(deadline - Date.now(), 0) + 5_000, 15_000), 'the check');
      if (v !== undefined && v !== false) {
        debug(`${what}: ${Date.now() - started} ms`);
        return v as T;
      }
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const detail = describe ? await settleWithin(Promise.resolve().then(describe), 10_000, 'describe()').catch((e) => `(describe failed: ${e})`) : '';
      throw new assert.AssertionError({
        message: `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `; last error: ${(lastError as Error)?.message ?? lastError}` : ''}${detail ? `\n${detail}` : ''}`,
      });
    }
    await sleep(intervalMs);
  }
}

export interface InboundSums {
  count: number;
  packetsReceived: number;
  bytesReceived: number;
  framesDecoded: number;
  totalSamplesReceived: number;
}

export interface RemoteSnapshot {
  id: string;
  name: string;
  connectionState: RTCPeerConnectionState;
  pcState: RTCPeerConnectionState | null;
  video: InboundSums | null;
  audio: InboundSums | null;
  negotiation: { offersSent: number; answersSent: number; offersReceived: number; iceRestarts: number } | null;
  tile: { label: string; videoMuted: boolean; videoWidth: number; paused: boolean; muted: boolean | null; hasAudioTrack: boolean } | null;
}

export interface CallSnapshot {
  status: string;
  localId: string | null;
  remotes: RemoteSnapshot[];
  /** Remote tiles rendered in the room's grid. */
  tiles: number;
}

/** Run `expr` (an expression over `__e2e`) in the page, installing the helpers first if needed. */
export async function inPage<T>(page: Page, expr: string): Promise<T> {
  return (await page.evaluate(`${IN_PAGE};\n(${expr})`)) as T;
}

async function inPageHandle(page: Page, expr: string): Promise<ElementHandle<Element> | null> {
  const handle = await page.evaluateHandle(`${IN_PAGE};\n(${expr})`);
  const el = handle.asElement();
  if (!el) {
    await handle.dispose();
    return null;
  }
  return el as ElementHandle<Element>;
}

export interface Peer {
  page: Page;
  /** The isolated context this page lives in (closed by close()). */
  context: BrowserContext;
  label: string;
  /**
   * Wait for the pre-join step, type `name` into "Your name" (unless undefined: keep what is there),
   * click Join and wait for status 'joined' (`timeoutMs`, default 20 s).
   */
  join(name?: string, timeoutMs?: number): Promise<void>;
  /** The pre-join step is ready: returns the Join button (to click it yourself, e.g. at the same instant as another page). */
  readyToJoin(name?: string): Promise<ElementHandle<Element>>;
  /** Wait until the session says `joined`. */
  joined(timeoutMs?: number): Promise<void>;
  snapshot(): Promise<CallSnapshot>;
  /** Texts of the alerts and device errors the page shows. */
  messages(): Promise<string[]>;
  /** Click a shown, enabled button by its text (e.g. "Leave"). */
  click(label: string): Promise<void>;
  /** The value of the "Your name" field. */
  nameField(): Promise<string | null>;
  close(): Promise<void>;
}

export interface OpenPeerOptions {
  label?: string;
  /** Record every RTCPeerConnection and getUserMedia track from the start (for cleanup checks). */
  instrument?: boolean;
  /** Permission states to set for the page's origin in its fresh context, e.g. `{ microphone: 'granted', camera: 'denied' }`. */
  permissions?: Record<string, 'granted' | 'denied' | 'prompt'>;
  /**
   * Ask the fake camera for this size and frame rate (as `ideal`, unless the page asks for more
   * specific values); default `SMALL_CAMERA`.
   */
  camera?: { width: number; height: number; frameRate: number };
  /**
   * The page's size (default 800×600). Tiles scrolled out of view get no video (the receiver
   * tells the sender), so a test that expects every tile to decode needs room for them all.
   */
  viewport?: { width: number; height: number };
  /**
   * Wait only for `<rtc-room>` to upgrade, not for the load event: for tests that hold the
   * bundle's chunks back (Firefox keeps the load event back while a dynamic import is pending).
   */
  untilUpgraded?: boolean;
  /** A script run in the page before anything else, e.g. to watch what the page's own code makes from the start. */
  beforeLoad?: string;
}

/**
 * What the pages' fake cameras send unless a test asks for more: the tests are about calls, not
 * encoders, and the fake devices' 640×480 at 30 fps on every link made the busy CI machine starve
 * the browsers (about an eighth of the pixels; the e2e files measured 12% quicker).
 */
export const SMALL_CAMERA = { width: 320, height: 240, frameRate: 15 };

/** In the page, before anything else runs: `getUserMedia` video gets `camera` as defaults. */
const cameraDefaults = (camera: NonNullable<OpenPeerOptions['camera']>) => `(() => {
  const md = navigator.mediaDevices;
  if (!md) return;
  const gum = md.getUserMedia.bind(md);
  const ideal = ${JSON.stringify({ width: { ideal: camera.width }, height: { ideal: camera.height }, frameRate: { ideal: camera.frameRate } })};
  md.getUserMedia = (c = {}) => gum(c.video ? { ...c, video: { ...ideal, ...(c.video === true ? {} : c.video) } } : c);
})();`;

/**
 * In the page, before anything else runs: every WebSocket's opening and closing (code, and who
 * closed it) in `__socketLog`, with Date.now(). A failure then tells a server that went away (1006)
 * from a connection the page gave up on (its own close(), e.g. a missed heartbeat).
 */
const SOCKET_LOG = `(() => {
  const Native = globalThis.WebSocket;
  if (!Native) return;
  const log = (globalThis.__socketLog = []);
  const note = (what) => log.length < 200 && log.push(Date.now() + ' ' + what);
  globalThis.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      note('ws open ' + String(args[0]).replace(/^.*[?&]sid=/, 'sid='));
      this.addEventListener('close', (e) => note('ws closed ' + e.code + (e.wasClean ? ' clean' : '')));
    }
    close(...args) {
      note('ws close() by the page');
      return super.close(...args);
    }
  };
})();`;

/** A new page in a new browser context (own storage), opened at `url` and waited for until `<rtc-room>` is upgraded. */
export async function openPeer(browser: Browser, url: string, options: OpenPeerOptions = {}): Promise<Peer> {
  const started = Date.now();
  const context = await browser.createBrowserContext();
  try {
    if (options.permissions) {
      const entries = Object.entries(options.permissions).map(([name, state]) => ({ permission: { name }, state }));
      await context.setPermission(new URL(url).origin, ...entries);
    }
    const page = await context.newPage();
    const label = options.label ?? url;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String((e as Error)?.message ?? e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}${m.location()?.url ? ` (${m.location().url})` : ''}`);
    });
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    if (options.viewport) await page.setViewport(options.viewport);
    await page.evaluateOnNewDocument(cameraDefaults(options.camera ?? SMALL_CAMERA));
    await page.evaluateOnNewDocument(SOCKET_LOG);
    if (options.instrument) await page.evaluateOnNewDocument(`${IN_PAGE};\n__e2e.instrument();`);
    if (options.beforeLoad) await page.evaluateOnNewDocument(options.beforeLoad);
    if (options.untilUpgraded) {
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
      await waitFor(() => inPage<boolean>(page, `!!customElements.get('rtc-room') && !!document.querySelector('rtc-room')`), {
        timeoutMs: 20_000,
        what: '<rtc-room> defined',
      });
    } else await gotoRoom(page, url, errors);
    debug(`${label}: opened in ${Date.now() - started} ms`);
    return makePeer(page, context, label, errors);
  } catch (e) {
    await context.close().catch(() => undefined);
    throw e;
  }
}

/** Open `url` and wait until `<rtc-room>` is upgraded and the page has finished loading (its load event fired). */
export async function gotoRoom(page: Page, url: string, errors?: string[]): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
  await waitForLoaded(page, errors);
}

/** `<rtc-room>` upgraded and `document.readyState === 'complete'`: a widget must never keep its host page "loading". */
export async function waitForLoaded(page: Page, errors: string[] = []): Promise<void> {
  // updateComplete also waits for the call engine's chunk: then `room.session` is there.
  const ready = `(async () => { const r = document.querySelector('rtc-room'); if (!customElements.get('rtc-room') || !r || document.readyState !== 'complete') return false; return Promise.race([r.updateComplete.then(() => true), new Promise((ok) => setTimeout(() => ok(false), 2000))]); })()`;
  await waitFor(() => inPage<boolean>(page, ready), {
    timeoutMs: 20_000,
    what: 'the page to finish loading with <rtc-room> defined',
    describe: () =>
      inPage<string>(
        page,
        `JSON.stringify({ readyState: document.readyState, defined: !!customElements.get('rtc-room'), videos: __e2e.deepAll('video').map((v) => ({ readyState: v.readyState, networkState: v.networkState, tracks: v.srcObject ? v.srcObject.getTracks().map((t) => t.kind) : null })) })`,
      )
        .catch((e) => String(e))
        .then((state) => `${state}\npage errors: ${JSON.stringify(errors)}`),
  });
}

function makePeer(page: Page, context: BrowserContext, label: string, errors: string[]): Peer {
  const peer: Peer = {
    page,
    context,
    label,
    async readyToJoin(name?: string) {
      const input = await waitFor(() => inPageHandle(page, `__e2e.field('Your name')`).then((h) => h ?? undefined), {
        what: `${label}: the "Your name" field`,
        describe: () => inPage<string>(page, `document.body.innerText`).catch((e) => String(e)),
      });
      if (name !== undefined) {
        // Select whatever is there (a remembered name) and type over it, like a user would.
        await input.click({ count: 3 });
        await input.evaluate((el) => (el as HTMLInputElement).select());
        await page.keyboard.press('Backspace');
        await input.type(name);
        const typed = await input.evaluate((el) => (el as HTMLInputElement).value);
        assert.equal(typed, name, `${label}: "Your name" holds what was typed`);
      }
      await input.dispose();
      return waitFor(() => inPageHandle(page, `__e2e.button('Join')`).then((h) => h ?? undefined), { what: `${label}: an enabled Join button` });
    },
    async join(name?: string, timeoutMs?: number) {
      const button = await peer.readyToJoin(name);
      await button.click();
      await button.dispose();
      await peer.joined(timeoutMs);
    },
    async joined(timeoutMs = 20_000) {
      await waitFor(async () => (await peer.snapshot()).status === 'joined', {
        timeoutMs,
        what: `${label}: session status "joined"`,
        describe: async () =>
          `status ${(await peer.snapshot()).status}; messages ${JSON.stringify(await peer.messages())}; page errors ${JSON.stringify(errors)}`,
      });
    },
    snapshot: () => inPage<CallSnapshot>(page, `__e2e.snapshot()`),
    messages: () => inPage<string[]>(page, `__e2e.messages()`),
    async click(text: string) {
      const button = await waitFor(() => inPageHandle(page, `__e2e.button(${JSON.stringify(text)})`).then((h) => h ?? undefined), {
        what: `${label}: an enabled "${text}" button`,
      });
      await button.click();
      await button.dispose();
    },
    nameField: () => inPage<string | null>(page, `__e2e.field('Your name')?.value ?? null`),
    async close() {
      const started = Date.now();
      // Bounded: the browser itself is closed after the file, so a context that will not close only costs time.
      await settleWithin(context.close(), 30_000, `${label}: closing its context`).catch((e) => debug(String(e)));
      debug(`${label}: closed in ${Date.now() - started} ms`);
    },
  };
  return peer;
}

export interface DecodeExpectation {
  /** Remote display names expected, exactly this many remote participants. */
  names: string[];
  /** Require video frames to keep being decoded (default true). */
  video?: boolean;
  /** Require audio packets and played samples to keep growing (default true). */
  audio?: boolean;
  /** With `audio`: only from these remotes (the others send no microphone). Default: all of `names`. */
  audioFrom?: string[];
  timeoutMs?: number;
  /** Between two samples (default 700 ms); many pages on two cores are better sampled less often. */
  intervalMs?: number;
}

function progress(before: RemoteSnapshot | undefined, now: RemoteSnapshot, want: { video: boolean; audio: boolean }): string[] {
  const problems: string[] = [];
  if (now.pcState !== 'connected') problems.push(`peer connection ${now.pcState}`);
  if (!now.tile) problems.push('no tile');
  if (!before) return [...problems, 'first sample'];
  if (want.video) {
    const f0 = before.video?.framesDecoded ?? 0;
    const f1 = now.video?.framesDecoded ?? 0;
    if (!(f1 > f0)) problems.push(`video framesDecoded not growing (${f0} → ${f1})`);
    if (!(now.tile && now.tile.videoWidth > 0)) problems.push(`tile video videoWidth ${now.tile?.videoWidth}`);
  }
  if (want.audio) {
    const p0 = before.audio?.packetsReceived ?? 0;
    const p1 = now.audio?.packetsReceived ?? 0;
    const s0 = before.audio?.totalSamplesReceived ?? 0;
    const s1 = now.audio?.totalSamplesReceived ?? 0;
    if (!(p1 > p0)) problems.push(`audio packetsReceived not growing (${p0} → ${p1})`);
    if (!(s1 > s0)) problems.push(`audio totalSamplesReceived not growing (${s0} → ${s1})`);
    // Chromium only counts samples that are played out; Firefox counts them anyway, so check the player too.
    const t = now.tile;
    if (t && (t.paused || t.muted !== false || !t.hasAudioTrack))
      problems.push(`tile not playing the sound (paused ${t.paused}, muted ${t.muted}, audio track ${t.hasAudioTrack})`);
  }
  return problems;
}

/**
 * Assert that `peer` has exactly the remote participants `names` (display names on their tiles)
 * and, for every one, keeps decoding their video (framesDecoded grows between two samples, the
 * tile's <video> has a size) and receiving their audio (packetsReceived and totalSamplesReceived
 * grow). Polls until all of that holds at once, or fails listing what did not.
 */
export async function expectDecoding(peer: Peer, expectation: DecodeExpectation): Promise<CallSnapshot> {
  const want = { video: expectation.video ?? true, audio: expectation.audio ?? true };
  const names = [...expectation.names].sort();
  let previous: CallSnapshot | undefined;
  let problems: string[] = ['no sample yet'];
  let last: CallSnapshot | undefined;
  return waitFor(
    async () => {
      const now = await peer.snapshot();
      last = now;
      problems = [];
      const got = now.remotes.map((r) => r.name).sort();
      if (JSON.stringify(got) !== JSON.stringify(names)) problems.push(`remote participants ${JSON.stringify(got)}, want ${JSON.stringify(names)}`);
      if (now.tiles !== names.length) problems.push(`${now.tiles} remote tiles, want ${names.length}`);
      for (const r of now.remotes) {
        const p = progress(
          previous?.remotes.find((x) => x.id === r.id),
          r,
          { video: want.video, audio: want.audio && (!expectation.audioFrom || expectation.audioFrom.includes(r.name)) },
        );
        if (r.tile && r.tile.label !== r.name) p.push(`tile label "${r.tile.label}"`);
        if (p.length) problems.push(`${r.name} (${r.id}): ${p.join(', ')}`);
      }
      previous = now;
      return problems.length === 0 ? now : undefined;
    },
    {
      timeoutMs: expectation.timeoutMs ?? 25_000,
      intervalMs: expectation.intervalMs ?? 700,
      what: `${peer.label} to decode ${JSON.stringify(names)}${want.video ? '' : ' (audio only)'}`,
      describe: () => `problems: ${problems.join('; ')}\nlast snapshot: ${JSON.stringify(last)}`,
    },
  );
}

/** Fail unless `peer` shows exactly the remote participants `names` (ids not checked) within the timeout. */
export async function expectParticipants(peer: Peer, names: string[], timeoutMs = 10_000): Promise<CallSnapshot> {
  const want = [...names].sort();
  let last: CallSnapshot | undefined;
  return waitFor(
    async () => {
      last = await peer.snapshot();
      const got = last.remotes.map((r) => r.name).sort();
      return JSON.stringify(got) === JSON.stringify(want) && last.tiles === want.length ? last : undefined;
    },
    { timeoutMs, what: `${peer.label} to show remote participants ${JSON.stringify(want)}`, describe: () => JSON.stringify(last) },
  );
}

/**
 * Wait for every promise, then throw the first failure: unlike Promise.all, nothing is still
 * starting when this settles (so an after() hook can dispose of whatever did start).
 */
export async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
