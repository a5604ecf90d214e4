/**
 * Every camera / microphone track and RTCPeerConnection the page opens from now on, to check that
 * something released them: `const watch = watchResources(); … watch.released(); watch.restore()`.
 */
export function watchResources() {
  const tracks: MediaStreamTrack[] = [];
  const pcs: RTCPeerConnection[] = [];
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia;
  const Original = window.RTCPeerConnection;
  md.getUserMedia = async (c) => {
    const s = await gum.call(md, c);
    tracks.push(...s.getTracks());
    return s;
  };
  window.RTCPeerConnection = class extends Original {
    constructor(config?: RTCConfiguration) {
      super(config);
      pcs.push(this);
    }
  } as typeof RTCPeerConnection;
  return {
    tracks,
    pcs,
    released: () => tracks.every((t) => t.readyState === 'ended') && pcs.every((pc) => pc.connectionState === 'closed'),
    restore: () => {
      md.getUserMedia = gum;
      window.RTCPeerConnection = Original;
    },
  };
}

/** `run()`, watching what it opens. */
export async function watchingResources<T>(run: () => Promise<T>): Promise<{ value: T; tracks: MediaStreamTrack[]; pcs: RTCPeerConnection[] }> {
  const watch = watchResources();
  try {
    return { value: await run(), tracks: watch.tracks, pcs: watch.pcs };
  } finally {
    watch.restore();
  }
}
