/**
 * Imported by a test file that measures the picture (sent sizes, frame rates): its cameras send
 * the fake device's full 640×480 at 30 fps, not the suite's small default
 * (test/harness/small-camera.ts).
 */
(globalThis as { rtcFullCamera?: boolean }).rtcFullCamera = true;
export {};
