/**
 * Extra participants for a call, all from one page: each is an RtcSession of the core (loaded
 * from the served bundle with `loadCore()`), joined through the real server with the browser's
 * fake devices. Cheaper than a page per participant when a test only looks at one page's room
 * (its layout, screenshots): the crowd's sessions have no tiles, so they ask for no video.
 *
 *   const crowd = await openCrowd(chromium.browser, server.url, room);
 *   await crowd.add(['Bo', 'Cy']);
 *   await crowd.share('Bo');
 *   await crowd.close();
 */
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { waitFor } from './call.js';

export interface Crowd {
  page: Page;
  /** Join one session per name (in order, each joined before the next starts). */
  add(names: string[], options?: { cameraOff?: boolean; micOff?: boolean }): Promise<void>;
  /** `name` shares a moving canvas "screen" (getDisplayMedia answers with it). */
  share(name: string): Promise<void>;
  stopShare(name: string): Promise<void>;
  /** `name` leaves the call. */
  remove(name: string): Promise<void>;
  /** Everyone leaves; the page's context is closed. */
  close(): Promise<void>;
}

export interface CrowdOptions {
  /** Ideal camera size and rate for the crowd's fake cameras (default 320×180 at 15 fps). */
  camera?: { width: number; height: number; frameRate: number };
  /** Paint each camera as a soft colour with the name on it, instead of the browser's test pattern. */
  painted?: boolean;
  /** Send a microphone too (default true); without, the crowd costs the machine less. */
  audio?: boolean;
}

/**
 * In a page: `canvasStream(label, width, height, screen)`, a moving canvas: a soft gradient of a
 * hue of its own with a head and shoulders (a painted camera), or a light "slide" (a screen).
 */
const PAINT = `  let hue = 200;
  /** A moving canvas stream: a gradient of a hue with a label, for a painted camera or a screen. */
  function canvasStream(label, width, height, screen) {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    // A hue of the label's own (the same person looks the same on every page), else the next one.
    let h = (hue = (hue + 67) % 360);
    if (label) { h = 0; for (const ch of label) h = (h * 31 + ch.codePointAt(0)) % 360; }
    let n = 0;
    const draw = () => {
      n++;
      const g = ctx.createLinearGradient(0, 0, width, height);
      g.addColorStop(0, 'hsl(' + h + ' 45% ' + (screen ? 92 : 38) + '%)');
      g.addColorStop(1, 'hsl(' + ((h + 40) % 360) + ' 55% ' + (screen ? 82 : 22) + '%)');
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, width, height);
      if (screen) {
        ctx.fillStyle = 'hsl(' + h + ' 30% 30%)';
        ctx.font = 'bold ' + Math.round(height / 9) + 'px sans-serif';
        ctx.fillText(label, width * 0.08, height * 0.2);
        for (let i = 0; i < 5; i++) ctx.fillRect(width * 0.08, height * (0.32 + i * 0.11), width * (0.84 - ((i * 13) % 30) / 100), height * 0.045);
      } else {
        // A head and shoulders, breathing a little.
        const cx = width / 2, s = height / 180, dy = Math.sin(n / 10) * 1.5 * s;
        ctx.fillStyle = 'hsl(' + h + ' 25% 78%)';
        ctx.beginPath(); ctx.arc(cx, 78 * s + dy, 32 * s, 0, Math.PI * 2); ctx.fill();
        ctx.beginPath(); ctx.ellipse(cx, 185 * s + dy, 70 * s, 62 * s, 0, Math.PI, 0); ctx.fill();
      }
    };
    draw();
    const timer = setInterval(draw, 66);
    const stream = canvas.captureStream(15);
    stream.getVideoTracks()[0].addEventListener('ended', () => clearInterval(timer));
    return { stream, stop: () => clearInterval(timer) };
  }`;

/** For evaluateOnNewDocument(): the page's camera is painted for `name` (getUserMedia's video is a canvas). */
export const paintedCamera = (name: string) => `(() => {
  ${PAINT}
  const md = navigator.mediaDevices;
  if (!md) return;
  const gum = md.getUserMedia.bind(md);
  md.getUserMedia = async (c = {}) => {
    if (!c.video) return gum(c);
    const out = c.audio ? await gum({ audio: c.audio }) : new MediaStream();
    out.addTrack(canvasStream(${JSON.stringify(name)}, 640, 360, false).stream.getVideoTracks()[0]);
    return out;
  };
})();`;

/** In the page: the crowd's state and actions, on `globalThis.__crowd`. Plain JavaScript (injected as a string). */
const CROWD_PAGE = (room: string, options: Required<Pick<CrowdOptions, 'camera'>> & { painted: boolean; audio: boolean }) => `(() => {
  if (globalThis.__crowd) return true;
  const camera = ${JSON.stringify(options.camera)};
  const painted = ${JSON.stringify(options.painted)};
  const sessions = new Map();
  let core;
  ${PAINT}
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia.bind(md);
  let nextCamera = null;
  md.getUserMedia = async (c = {}) => {
    if (!c.video) return gum(c);
    if (!painted) return gum({ ...c, video: { width: { ideal: camera.width }, height: { ideal: camera.height }, frameRate: { ideal: camera.frameRate }, ...(c.video === true ? {} : c.video) } });
    const out = c.audio ? await gum({ audio: c.audio }) : new MediaStream();
    out.addTrack(canvasStream(nextCamera || '', camera.width, camera.height, false).stream.getVideoTracks()[0]);
    return out;
  };
  let sharing = null;
  md.getDisplayMedia = async () => canvasStream((sharing || 'Screen') + "'s slides", 640, 360, true).stream;
  globalThis.__crowd = {
    async add(name, cameraOff, micOff) {
      core ??= await (await import('/rtc-widgets.js')).loadCore();
      nextCamera = name;
      // A crowd is scenery: on a busy machine a join may time out; try again with a new session.
      let s;
      for (let attempt = 1; ; attempt++) {
        s = new core.RtcSession({ room: ${JSON.stringify(room)}, name, devices: { storageKey: null }${options.audio ? '' : ', media: { audio: false, video: true }'} });
        sessions.set(name, s);
        try {
          await s.join();
          break;
        } catch (e) {
          await s.leave().catch(() => undefined);
          if (attempt >= 3) throw e;
        }
      }
      if (cameraOff) await s.setCameraEnabled(false);
      if (micOff) await s.setMicrophoneEnabled(false);
      return s.localId;
    },
    async share(name) { sharing = name; await sessions.get(name).startScreenShare(); return true; },
    async stopShare(name) { await sessions.get(name).stopScreenShare(); return true; },
    async remove(name) { const s = sessions.get(name); sessions.delete(name); await s.leave(); return true; },
    async leaveAll() { await Promise.all([...sessions.values()].map((s) => s.leave().catch(() => undefined))); sessions.clear(); return true; },
    status() { return Object.fromEntries([...sessions].map(([n, s]) => [n, s.status.get()])); },
  };
  return true;
})()`;

/** A page of `browser` (own context) on `serverUrl`'s origin, ready to add participants to `room`. */
export async function openCrowd(browser: Browser, serverUrl: string, room: string, options: CrowdOptions = {}): Promise<Crowd> {
  const context: BrowserContext = await browser.createBrowserContext();
  const script = CROWD_PAGE(room, {
    camera: options.camera ?? { width: 320, height: 180, frameRate: 15 },
    painted: !!options.painted,
    audio: options.audio ?? true,
  });
  try {
    const page = await context.newPage();
    // Any page of the server's origin will do (the bundle is imported from it): a plain 404 page.
    await page.goto(`${serverUrl}/__crowd`, { waitUntil: 'domcontentloaded', timeout: 30_000 });
    await page.evaluate(script);
    const crowd: Crowd = {
      page,
      async add(names, { cameraOff = false, micOff = false } = {}) {
        for (const name of names) {
          await page.evaluate(`__crowd.add(${JSON.stringify(name)}, ${cameraOff}, ${micOff})`);
          await waitFor(async () => (await page.evaluate(`__crowd.status()[${JSON.stringify(name)}]`)) === 'joined', { what: `crowd: ${name} joined` });
        }
      },
      share: async (name) => void (await page.evaluate(`__crowd.share(${JSON.stringify(name)})`)),
      stopShare: async (name) => void (await page.evaluate(`__crowd.stopShare(${JSON.stringify(name)})`)),
      remove: async (name) => void (await page.evaluate(`__crowd.remove(${JSON.stringify(name)})`)),
      async close() {
        await page.evaluate(`__crowd.leaveAll()`).catch(() => undefined);
        await context.close().catch(() => undefined);
      },
    };
    return crowd;
  } catch (e) {
    await context.close().catch(() => undefined);
    throw e;
  }
}
