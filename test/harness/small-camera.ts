/**
 * Loaded before every browser-suite test file (web-test-runner.config.mjs, testRunnerHtml): a
 * camera opened without a size sends 320×240 at 15 fps instead of the fake device's 640×480 at
 * 30. The suite runs both browsers side by side on two cores, and full-size video encoded,
 * decoded and drawn on every link of every call is much of what the calls cost them; the tests
 * are about the calls, not the picture. A file that measures the picture (sent sizes, frame
 * rates) imports test/helpers/full-camera.ts.
 */
const SMALL = { width: { ideal: 320 }, height: { ideal: 240 }, frameRate: { ideal: 15 } };
const md = navigator.mediaDevices;
if (md) {
  const gum = md.getUserMedia.bind(md);
  md.getUserMedia = (c: MediaStreamConstraints = {}) =>
    gum(c.video && !(globalThis as { rtcFullCamera?: boolean }).rtcFullCamera ? { ...c, video: { ...SMALL, ...(c.video === true ? {} : c.video) } } : c);
}
