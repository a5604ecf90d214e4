// In-page half of bench/thumbnail-cost.ts and bench/mesh.ts (Chromium and Firefox): the bundle's
// RtcSession with one <rtc-video-tile> per remote (the tiles measure themselves and report their
// size to the session: receiver-driven quality), tile widths set by the bench, and per-link
// outbound / inbound video figures from getStats(). Plain JavaScript called with string
// expressions (`__bench.x(...)`), like session.js.
(() => {
  if (globalThis.__bench) return;
  let session = null;
  let width = 320;
  /** remote id → tile */
  const tiles = new Map();

  function track(participants) {
    const ids = new Set();
    for (const p of participants) {
      if (p.isLocal) continue;
      ids.add(p.id);
      if (tiles.has(p.id)) continue;
      const tile = document.createElement('rtc-video-tile');
      tile.setAttribute('participant-id', p.id);
      tile.session = session;
      tile.style.width = `${width}px`;
      document.body.append(tile);
      tiles.set(p.id, tile);
    }
    for (const [id, tile] of tiles) {
      if (ids.has(id)) continue;
      tile.remove();
      tiles.delete(id);
    }
  }

  /** `quality`: false, or the session's quality options; `camera`: ideal capture size and rate; `tileWidth`: CSS px of each remote tile. */
  async function setup({ room, name, signalUrl, quality, camera, tileWidth = 320, mode }) {
    if (session) throw new Error('setup() was called twice');
    width = tileWidth;
    const { RtcSession, SocketIoTransport } = await (await import('/rtc-widgets.js')).loadCore();
    const video = camera ? { width: { ideal: camera.width }, height: { ideal: camera.height }, frameRate: { ideal: camera.frameRate } } : true;
    session = new RtcSession({
      room,
      name,
      transport: () => new SocketIoTransport(signalUrl),
      media: { audio: true, video },
      quality: quality === undefined ? undefined : quality,
      ...(mode ? { mode } : {}),
    });
    session.participants.subscribe(track);
    return true;
  }

  async function join() {
    await session.join();
    return { localId: session.localId };
  }

  function remotes() {
    return session.participants
      .get()
      .filter((p) => !p.isLocal)
      .map((p) => ({ id: p.id, name: p.name, connectionState: p.connectionState }));
  }

  /** Width of the tile showing `id` (by display name or id), in CSS pixels. */
  function setTileWidth(who, px) {
    const p = session.participants.get().find((x) => !x.isLocal && (x.id === who || x.name === who));
    const tile = p && tiles.get(p.id);
    if (!tile) throw new Error(`no tile for ${who}`);
    tile.style.width = `${px}px`;
    return true;
  }

  /** Per remote: outbound and inbound video counters now (one getStats per link), with the capture size. */
  async function sample() {
    const out = { t: performance.now(), capture: null, links: {} };
    const settings = session.media.outgoingVideo?.getSettings();
    if (settings) out.capture = { width: settings.width, height: settings.height, frameRate: settings.frameRate };
    for (const p of session.participants.get()) {
      if (p.isLocal) continue;
      const pc = session.peerConnection(p.id);
      if (!pc) continue;
      const l = { name: p.name, role: p.role, bytesSent: 0, framesEncoded: 0, encodeMs: 0, frameWidth: 0, framesDecoded: 0, limitation: null };
      (await pc.getStats()).forEach((r) => {
        if ((r.kind ?? r.mediaType) !== 'video') return;
        if (r.type === 'outbound-rtp') {
          l.bytesSent += r.bytesSent || 0;
          l.framesEncoded += r.framesEncoded || 0;
          l.encodeMs += (r.totalEncodeTime || 0) * 1000;
          l.frameWidth = Math.max(l.frameWidth, r.frameWidth || 0);
          l.limitation = r.qualityLimitationReason ?? l.limitation;
        } else if (r.type === 'inbound-rtp') l.framesDecoded += r.framesDecoded || 0;
      });
      const q = session.qualityState(p.id);
      l.applied = q.link?.applied ?? null;
      l.asked = q.link?.view ?? null;
      out.links[p.id] = l;
    }
    out.viewerCount = session.viewerCount?.get() ?? null;
    out.role = session.moderation.role.get();
    return out;
  }

  async function leave() {
    await session?.leave();
    return true;
  }

  globalThis.__bench = { setup, join, remotes, setTileWidth, sample, leave };
})();
