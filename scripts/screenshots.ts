/**
 * README screenshots from the real demo page: the built bundle (run `npm run build` first; `npm
 * run screenshots` does) served by the real signaling server, Debian Chromium with painted
 * cameras, a call of three (Ada joins on the demo page, Bo and Cy from a second page; Cy's camera
 * and microphone are off). Writes docs/screenshots/:
 *   prejoin-desktop-<theme>.png   the pre-join step at 1280×720
 *   call-desktop-<theme>.png      the call at 1280×720
 *   call-phone-<theme>.png        the call at 390×844
 * <theme> is `dark` (the default look) and, once `<rtc-room>` has a `theme` attribute, `light` too.
 *
 *   npm run screenshots                 build, then write the files
 *   node --import tsx scripts/screenshots.ts [--out=dir]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/e2e/helpers/browsers.js';
import { startE2eServer } from '../test/e2e/helpers/server.js';
import { inPage, openPeer, uniqueRoom, waitFor } from '../test/e2e/helpers/call.js';
import { openCrowd, paintedCamera } from '../test/e2e/helpers/crowd.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const outArg = process.argv.find((a) => a.startsWith('--out='));
const out = outArg ? outArg.slice('--out='.length) : join(repo, 'docs/screenshots');
mkdirSync(out, { recursive: true });

const DESKTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };

/** In the page: the room's tiles all show what they should (pictures playing, Cy's initials). */
const TILES_READY = `(() => {
  const tiles = [...__e2e.room().shadowRoot.querySelectorAll('[part~=grid] > rtc-video-tile')];
  if (tiles.length !== 3) return false;
  return tiles.every((t) => {
    const r = t.shadowRoot;
    if (t.hasAttribute('video-muted')) return !!r.querySelector('[part=initials]');
    const v = r.querySelector('video');
    return v && v.videoWidth > 0 && !v.paused && !r.querySelector('[part=status]');
  });
})()`;

const server = await startE2eServer({ turn: false });
const chromium = await launchChromium();
const written: string[] = [];
try {
  const room = uniqueRoom('screens');
  // A fixed address for the invite line (the real one has a random port).
  const ada = await openPeer(chromium.browser, `${server.url}/?room=${room}`, { label: 'Ada', viewport: DESKTOP });
  const page = ada.page;
  await page.evaluateOnNewDocument(paintedCamera('Ada Lovelace'));
  await page.reload({ waitUntil: 'domcontentloaded' });
  await waitFor(() => inPage<boolean>(page, `!!customElements.get('rtc-room') && document.readyState === 'complete'`), { what: 'the demo page again' });
  const themes = (await inPage<boolean>(page, `!!customElements.get('rtc-room').elementProperties?.has('theme')`)) ? ['dark', 'light'] : ['dark'];
  const tidy = `(() => { const i = document.getElementById('invite-link'); if (i) i.value = 'https://call.example.com/?room=standup'; document.activeElement?.blur?.(); return true; })()`;
  const setTheme = async (theme: string) => {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
    // The demo's own switcher when it has one (so it shows the theme picked), else the attribute.
    if (themes.length > 1)
      await inPage(
        page,
        `(() => { const r = document.querySelector('#themes input[value=${JSON.stringify(theme)}]'); if (r) r.click(); else __e2e.room().setAttribute('theme', ${JSON.stringify(theme)}); return true; })()`,
      );
    await inPage(page, tidy);
  };
  const shoot = async (name: string) => {
    // Until nothing moves between two looks (the layout follows a resize within a frame or two).
    let before = '';
    await waitFor(
      async () => {
        const now = await inPage<string>(
          page,
          `JSON.stringify(__e2e.deepAll('rtc-video-tile, button').map((e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }))`,
        );
        const same = now === before;
        before = now;
        return same;
      },
      { intervalMs: 300, what: `${name}: the page still` },
    );
    const file = join(out, `${name}.png`);
    await page.screenshot({ path: file });
    written.push(file);
  };

  await ada.readyToJoin('Ada Lovelace');
  await waitFor(() => inPage<boolean>(page, `(() => { const v = __e2e.deepAll('video')[0]; return !!v && v.videoWidth > 0; })()`), {
    what: 'the preview playing',
  });
  for (const theme of themes) {
    await setTheme(theme);
    await shoot(`prejoin-desktop-${theme}`);
  }
  await ada.join('Ada Lovelace');
  const crowd = await openCrowd(chromium.browser, server.url, room, { painted: true, camera: { width: 640, height: 360, frameRate: 15 } });
  try {
    await crowd.add(['Bo Grant']);
    await crowd.add(['Cy Okafor'], { cameraOff: true, micOff: true });
    await waitFor(() => inPage<boolean>(page, TILES_READY), { timeoutMs: 60_000, what: 'three tiles showing' });
    for (const theme of themes) {
      await setTheme(theme);
      await page.setViewport(DESKTOP);
      await shoot(`call-desktop-${theme}`);
      await page.setViewport(PHONE);
      await waitFor(() => inPage<boolean>(page, TILES_READY), { what: 'three tiles showing on the phone' });
      await shoot(`call-phone-${theme}`);
    }
  } finally {
    await crowd.close();
    await ada.close();
  }
} finally {
  await chromium.dispose();
  await server.dispose();
}
console.log(written.map((f) => `wrote ${f}`).join('\n'));
