/**
 * A camera the user refused: Chromium launched without --use-fake-ui-for-media-stream (so no
 * automatic "Allow"), with fake devices, and each page's origin given its permissions through
 * the browser's permission settings (CDP Browser.setPermission), each page in its own context:
 * one with microphone=granted, camera=denied, the other with both granted. The first joins
 * audio-only, says why, still watches the other side, and is heard with its placeholder shown.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { expectDecoding, inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';

describe('joining with the camera denied', () => {
  // Chromium with the same flags minus the fake UI that would answer every permission prompt
  // with "Allow" (the fake devices stay: without them there is no camera to deny).
  const e2e = e2eFixture({ chromium: { without: ['--use-fake-ui-for-media-stream'] } });

  it('joins audio-only with a clear message, still decodes the other, and is heard with a placeholder', { timeout: 90_000 }, async () => {
    const url = `${e2e.server.url}/?room=${uniqueRoom('nocam')}`;
    const list: Peer[] = [];
    try {
      const denied = await openPeer(e2e.chromium.browser, url, { label: 'no camera', permissions: { microphone: 'granted', camera: 'denied' } });
      list.push(denied);
      const other = await openPeer(e2e.chromium.browser, url, { label: 'other', permissions: { microphone: 'granted', camera: 'granted' } });
      list.push(other);

      // The browser really refuses the camera and allows the microphone on this origin.
      const perms = await inPage<Record<string, string>>(
        denied.page,
        `(async () => ({ camera: (await navigator.permissions.query({ name: 'camera' })).state, microphone: (await navigator.permissions.query({ name: 'microphone' })).state }))()`,
      );
      assert.deepEqual(perms, { camera: 'denied', microphone: 'granted' });

      // The pre-join step already says what is wrong with the camera.
      const prejoin = await waitFor(async () => (await denied.messages()).find((m) => /camera/i.test(m)), {
        what: 'a message about the camera in the pre-join step',
        describe: async () => JSON.stringify(await denied.messages()),
      });
      assert.match(prejoin, /camera/i);
      assert.match(prejoin, /blocked|denied|allow/i);

      await denied.join('No Cam');
      await other.join('Has Cam');

      // In the call the banner says it too.
      const banner = await waitFor(async () => (await denied.messages()).find((m) => /camera/i.test(m)), {
        what: 'the error banner about the camera in the call',
        describe: async () => JSON.stringify(await denied.messages()),
      });
      assert.match(banner, /camera/i);
      const media = await inPage<{ hasAudio: boolean; hasVideo: boolean; code: string | undefined }>(
        denied.page,
        `(() => { const m = __e2e.room().session.localMedia.get(); return { hasAudio: m.hasAudio, hasVideo: m.hasVideo, code: m.errors.video?.code }; })()`,
      );
      assert.deepEqual(media, { hasAudio: true, hasVideo: false, code: 'permission-denied' });

      // It watches and hears the other side…
      await expectDecoding(denied, { names: ['Has Cam'] });
      // …the other side hears it and shows its tile with the camera-off placeholder…
      await expectDecoding(other, { names: ['No Cam'], video: false });
      const tile = (await other.snapshot()).remotes[0]?.tile;
      assert.equal(tile?.videoMuted, true, 'the tile has video-muted');
      const placeholder = await inPage<boolean>(
        other.page,
        `(() => { const t = __e2e.room().shadowRoot.querySelector('rtc-video-tile[participant-id]'); return t.hasAttribute('video-muted') && !!t.shadowRoot.querySelector('[part~="placeholder"]'); })()`,
      );
      assert.equal(placeholder, true, 'the placeholder is rendered');
      // …and, as a check of the check, the frame assertion fails for it: no picture arrives.
      await assert.rejects(expectDecoding(other, { names: ['No Cam'], timeoutMs: 3_000 }), /video framesDecoded not growing \(0 → 0\)/);
    } finally {
      await Promise.all(list.map((p) => p.close()));
    }
  });
});
