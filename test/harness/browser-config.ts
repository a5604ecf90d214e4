/**
 * How the tests run the Debian browsers (harness.md §1, §2, §4, §7): one place for wtr
 * (web-test-runner.config.mjs) and the e2e launchers (test/e2e/helpers/browsers.ts).
 */
import { fileURLToPath } from 'node:url';

/**
 * What the tests launch: $CHROMIUM_PATH (default /usr/bin/chromium) without the privilege to raise its own threads' priority
 * (chromium-unprivileged.sh), as a user's browser runs. Launched as root, its audio threads ran
 * real-time and its compositor and WebRTC threads at nice -8, and starved everything else on two cores.
 */
export const CHROMIUM_LAUNCHER = fileURLToPath(new URL('./chromium-unprivileged.sh', import.meta.url));
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export const chromiumArgs: readonly string[] = [
  '--no-sandbox', // CI runs as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // both are needed for getUserMedia without a device or a prompt
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', // also gather 127.0.0.1 / ::1 host candidates
  '--autoplay-policy=no-user-gesture-required',
];

export const firefoxPrefs: Readonly<Record<string, unknown>> = {
  // both are needed for getUserMedia without a device or a prompt
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.loopback': true, // needed for TURN on 127.0.0.1
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.autoplay.default': 0, // allow audible autoplay
  // No sound device here: without a mock one an AudioContext never runs (level meters, speaking)
  'media.cubeb.force_mock_context': true,
};
