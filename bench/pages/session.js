// In-page half of bench/recovery.ts and bench/ice-restart.ts (Chromium and Firefox): the bundle's
// RtcSession driven directly (no elements), each remote's stream in a small muted <video> (as a
// call page shows it), a recorder of status and link changes, and a sampler of each remote's
// decoded video frames (inbound-rtp framesDecoded). Plain JavaScript called with string
// expressions (`__bench.x(...)`), like bench.js.
//
// Event and sample times are Date.now(): the wall clock node reads too, so they compare directly
// with the moments node kills and restarts a server. Durations inside the page use
// performance.now().
(() => {
  if (globalThis.__bench) return;
  const wall = () => Date.now();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  let session = null;
  /**
   * { t, type: 'status', status, localId } | { t, type: 'link', id, connectionState, reconnecting }
   * | { t, type: 'ws', what: 'create'|'open'|'error'|'close', n } | { t, type: 'error'|'peer-leave'|'peer-join', … }
   */
  const events = [];

  // The signaling WebSockets (socket.io-client looks WebSocket up when the bundle loads, after
  // this): when each attempt was made, opened, failed or closed. Timestamps only.
  // Also the first socket.io packet of a few kinds on each socket (the resume's steps): engine.io
  // open "0{…}", socket.io connect "40{…}", the server's "welcome" (its challenge), our "join" and
  // the first ack "43…" (the join reply, our first request on a connection).
  const packetKind = (data, sent) => {
    if (typeof data !== 'string') return null;
    if (!sent && data.startsWith('0')) return 'eio-open';
    if (!sent && data.startsWith('40')) return 'sio-connect';
    if (!sent && data.startsWith('43')) return 'ack';
    const m = /^42\d*\["([\w-]+)"/.exec(data);
    if (m && ((sent && m[1] === 'join') || (!sent && m[1] === 'welcome'))) return m[1];
    return null;
  };
  const NativeWebSocket = globalThis.WebSocket;
  let wsCount = 0;
  globalThis.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      const n = ++wsCount;
      this.__n = n;
      this.__seen = new Set();
      events.push({ t: wall(), type: 'ws', what: 'create', n });
      for (const what of ['open', 'error', 'close']) this.addEventListener(what, () => events.push({ t: wall(), type: 'ws', what, n }), { once: true });
      this.addEventListener('message', (e) => this.__packet(packetKind(e.data, false)));
    }
    __packet(kind) {
      if (!kind || this.__seen.has(kind)) return;
      this.__seen.add(kind);
      events.push({ t: wall(), type: 'ws', what: kind, n: this.__n });
    }
    send(data) {
      this.__packet(packetKind(data, true));
      return super.send(data);
    }
  };
  /** remote id → { video, connectionState, reconnecting } */
  const remotes = new Map();
  /** Called with (id, video) for each new remote video (the reference join's frame watch). */
  let onNewVideo = null;

  function remoteVideo(id) {
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true;
    video.dataset.id = id;
    video.style.width = '160px';
    document.body.append(video);
    return video;
  }

  function track(participants) {
    const seen = new Set();
    for (const p of participants) {
      if (p.isLocal) continue;
      seen.add(p.id);
      let r = remotes.get(p.id);
      if (!r) {
        r = { video: remoteVideo(p.id), connectionState: null, reconnecting: null, control: null };
        remotes.set(p.id, r);
        onNewVideo?.(p.id, r.video);
      }
      if (p.stream && r.video.srcObject !== p.stream) {
        r.video.srcObject = p.stream;
        r.video.play().catch(() => undefined);
      }
      // The link's control channel: when it closes, and the peer connection's states then (diagnosis).
      const control = session?.dataChannel(p.id, 'control');
      if (control && r.control !== control) {
        r.control = control;
        const pc = session.peerConnection(p.id);
        control.addEventListener(
          'close',
          // The session's own close handler ran first (it may have closed the connection already): also the last state it published.
          () =>
            events.push({
              t: wall(),
              type: 'control-close',
              id: p.id,
              lastPublishedState: r.connectionState,
              connectionState: pc?.connectionState,
              iceConnectionState: pc?.iceConnectionState,
            }),
          { once: true },
        );
      }
      if (r.connectionState !== p.connectionState || r.reconnecting !== p.reconnecting) {
        r.connectionState = p.connectionState;
        r.reconnecting = p.reconnecting;
        events.push({ t: wall(), type: 'link', id: p.id, connectionState: p.connectionState, reconnecting: p.reconnecting });
      }
    }
    for (const [id, r] of remotes) {
      if (seen.has(id)) continue;
      r.video.srcObject = null;
      r.video.remove();
      remotes.delete(id);
      events.push({ t: wall(), type: 'link', id, connectionState: 'gone', reconnecting: false });
    }
  }

  /**
   * A session for `room` whose signaling goes to `signalUrl` (a socket.io transport made by the
   * factory, so it can join again). `relay`: iceTransportPolicy 'relay'.
   */
  async function setup({ room, name, signalUrl, relay = false, audio = true, video = true }) {
    if (session) throw new Error('setup() was called twice');
    const { RtcSession, SocketIoTransport } = await (await import('/rtc-widgets.js')).loadCore();
    session = new RtcSession({
      room,
      name,
      transport: () => new SocketIoTransport(signalUrl),
      media: { audio, video },
      ...(relay ? { iceTransportPolicy: 'relay' } : {}),
    });
    session.on('status', (status) => events.push({ t: wall(), type: 'status', status, localId: session.localId }));
    session.on('error', (e) => events.push({ t: wall(), type: 'error', code: e.code, message: e.message }));
    session.on('peer-leave', (e) => events.push({ t: wall(), type: 'peer-leave', id: e.id, reason: e.reason }));
    session.on('peer-join', (p) => events.push({ t: wall(), type: 'peer-join', id: p.id }));
    session.participants.subscribe(track);
    return true;
  }

  function need() {
    if (!session) throw new Error('setup() was not called');
    return session;
  }

  async function startMedia() {
    const state = await need().startMedia();
    return { hasAudio: state.hasAudio, hasVideo: state.hasVideo };
  }

  async function join() {
    const s = need();
    await s.join();
    return { localId: s.localId, status: s.status.get() };
  }

  /** The first frame `video` presents from now on (requestVideoFrameCallback), as a performance.now() time. */
  function nextFrame(video) {
    if (typeof video.requestVideoFrameCallback !== 'function') return Promise.reject(new Error('requestVideoFrameCallback is not supported'));
    return new Promise((resolve) => video.requestVideoFrameCallback(() => resolve(performance.now())));
  }

  /**
   * The clocked join (the reference): t0 just before join(); join() resolved; the first frame
   * presented from any remote; a frame from each of `expectRemotes` remotes. Media opened before.
   */
  async function joinTimed(expectRemotes, timeoutMs = 30000) {
    const s = need();
    const frames = new Map();
    const watch = (id, video) => {
      if (!frames.has(id)) frames.set(id, nextFrame(video));
    };
    onNewVideo = watch;
    for (const [id, r] of remotes) watch(id, r.video);
    const t0 = performance.now();
    await s.join();
    const joined = performance.now();
    const deadline = t0 + timeoutMs;
    while (frames.size < expectRemotes && performance.now() < deadline) await sleep(5);
    onNewVideo = null;
    if (frames.size < expectRemotes) throw new Error(`only ${frames.size} of ${expectRemotes} remotes appeared`);
    const got = new Map();
    for (const [id, p] of frames) p.then((t) => got.set(id, t));
    const timeout = sleep(Math.max(0, deadline - performance.now())).then(() => {
      const missing = [...frames.keys()]
        .filter((id) => !got.has(id))
        .map((id) => {
          const v = remotes.get(id)?.video;
          const tracks = v?.srcObject?.getTracks().map((t) => `${t.kind}:${t.readyState}${t.muted ? ':muted' : ''}`) ?? [];
          return `${id} (video ${v ? `readyState ${v.readyState}, paused ${v.paused}, ${v.videoWidth}x${v.videoHeight}` : 'gone'}; tracks ${tracks.join(',') || 'none'})`;
        });
      throw new Error(`no frame from ${missing.join('; ')} within ${timeoutMs} ms (${got.size} of ${frames.size} presented one)`);
    });
    const times = await Promise.race([Promise.all(frames.values()), timeout]);
    return {
      localId: s.localId,
      joinMs: joined - t0,
      firstFrameMs: Math.min(...times) - t0,
      allFramesMs: Math.max(...times) - t0,
      remotes: frames.size,
    };
  }

  const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  const add = (a, b) => (b === null ? a : (a ?? 0) + b);

  /**
   * One remote's inbound video (summed over its inbound video streams), from one getStats():
   * n framesDecoded, p packetsReceived, k keyFramesDecoded, pli pliCount (keyframe requests we
   * sent), d totalInterFrameDelay and s totalSquaredInterFrameDelay (seconds, between consecutive
   * decoded frames), fz freezeCount, fzd totalFreezesDuration (s); null where the browser does not
   * say. t: the report's timestamp (epoch ms in both browsers: when the figures were taken, even
   * if the page's main thread hands them over late), else Date.now().
   */
  async function inboundOf(pc) {
    const v = { n: 0, p: 0, k: null, pli: null, d: null, s: null, fz: null, fzd: null, t: null };
    (await pc.getStats()).forEach((r) => {
      if (r.type !== 'inbound-rtp' || (r.kind ?? r.mediaType) !== 'video') return;
      v.n += r.framesDecoded ?? 0;
      v.p += r.packetsReceived ?? 0;
      v.k = add(v.k, num(r.keyFramesDecoded));
      v.pli = add(v.pli, num(r.pliCount));
      v.d = add(v.d, num(r.totalInterFrameDelay));
      v.s = add(v.s, num(r.totalSquaredInterFrameDelay));
      v.fz = add(v.fz, num(r.freezeCount));
      v.fzd = add(v.fzd, num(r.totalFreezesDuration));
      if (num(r.timestamp) !== null) v.t = Math.max(v.t ?? 0, r.timestamp);
    });
    const now = wall();
    // A timestamp on another clock (or base) would be useless: then the time it answered.
    if (v.t === null || Math.abs(v.t - now) > 10000) v.t = now;
    return v;
  }

  async function decoding() {
    const s = need();
    const out = {};
    await Promise.all(
      [...remotes.keys()].map(async (id) => {
        const pc = s.peerConnection(id);
        out[id] = pc ? (await inboundOf(pc)).n : null;
      }),
    );
    return out;
  }

  // --- the sampler: every `ms`, each remote's inbound video figures (inboundOf) ---
  /** { t: when the round started, f: { id: inboundOf(…) } } */
  let samples = [];
  let sampling = 0;
  /** getStats() calls that took longer than the timeout (skipped). */
  let statsTimeouts = 0;

  function startSampler(ms) {
    const run = ++sampling;
    samples = [];
    statsTimeouts = 0;
    const limit = Math.max(2000, 4 * ms);
    void (async () => {
      let next = wall();
      while (run === sampling) {
        const row = { t: wall(), f: {} };
        const s = session;
        if (s) {
          await Promise.all(
            [...remotes.keys()].map(async (id) => {
              const pc = s.peerConnection(id);
              if (!pc || pc.connectionState === 'closed') return;
              try {
                // A getStats() that never answers must not stop the sampler.
                const v = await Promise.race([inboundOf(pc), sleep(limit).then(() => null)]);
                if (v) row.f[id] = v;
                else statsTimeouts++;
              } catch {
                // closed meanwhile
              }
            }),
          );
        }
        if (run !== sampling) break;
        samples.push(row);
        // Aim at fixed times; a late round is not followed by a burst of catch-up rounds.
        next = Math.max(next + ms, wall());
        await sleep(next - wall());
      }
    })();
    return true;
  }

  function stopSampler() {
    sampling++;
    return { rows: samples, statsTimeouts };
  }

  /** The first sample after `after` (wall clock) at which each remote's framesDecoded rose; null if not yet. */
  function framesRoseAfter(after) {
    const out = {};
    for (const id of remotes.keys()) {
      out[id] = null;
      let prev = null;
      for (const row of samples) {
        const v = row.f[id];
        if (!v) continue;
        if (prev && v.t > after && v.n > prev.n) {
          out[id] = { t: v.t, previousT: prev.t };
          break;
        }
        prev = v;
      }
    }
    return out;
  }

  function state() {
    const s = need();
    return {
      status: s.status.get(),
      localId: s.localId,
      remotes: [...remotes.entries()].map(([id, r]) => ({ id, connectionState: r.connectionState, reconnecting: r.reconnecting })),
    };
  }

  function getEvents() {
    return events;
  }

  /** Local and remote candidate types of the pair in use (and the local relay's protocol). */
  async function selectedPair(id) {
    const pc = need().peerConnection(id);
    if (!pc) return null;
    const stats = await pc.getStats();
    let pair;
    stats.forEach((r) => {
      if (r.type === 'transport' && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId);
    });
    // Firefox has no transport stats: the nominated, succeeded pair.
    stats.forEach((r) => {
      if (!pair && r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r;
    });
    if (!pair) return null;
    const local = stats.get(pair.localCandidateId);
    const remote = stats.get(pair.remoteCandidateId);
    return {
      local: local?.candidateType ?? null,
      remote: remote?.candidateType ?? null,
      relayProtocol: local?.relayProtocol ?? null,
      protocol: local?.protocol ?? null,
    };
  }

  /** The peer connection's states and what its candidates and pairs look like now (for failures). */
  async function diagnose(id) {
    const pc = need().peerConnection(id);
    if (!pc) return null;
    const stats = await pc.getStats();
    const candidates = { local: [], remote: [] };
    const pairs = [];
    stats.forEach((r) => {
      if (r.type === 'local-candidate' || r.type === 'remote-candidate') {
        candidates[r.type === 'local-candidate' ? 'local' : 'remote'].push(`${r.candidateType}/${r.protocol}${r.relayProtocol ? `/${r.relayProtocol}` : ''}`);
      }
      if (r.type === 'candidate-pair') pairs.push(`${r.state}${r.nominated ? ' nominated' : ''}${r.selected ? ' selected' : ''}`);
    });
    return {
      connectionState: pc.connectionState,
      iceConnectionState: pc.iceConnectionState,
      iceGatheringState: pc.iceGatheringState,
      signalingState: pc.signalingState,
      negotiation: negotiationStats(id),
      candidates,
      pairs,
      localUfrag: /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1] ?? null,
      remoteUfrag: /a=ice-ufrag:(\S+)/.exec(pc.remoteDescription?.sdp ?? '')?.[1] ?? null,
    };
  }

  function negotiationStats(id) {
    const st = need().negotiationStats(id);
    return st ? { ...st } : null;
  }

  async function leave() {
    stopSampler();
    await session?.leave();
    return true;
  }

  globalThis.__bench = {
    setup,
    startMedia,
    join,
    joinTimed,
    decoding,
    startSampler,
    stopSampler,
    framesRoseAfter,
    state,
    events: getEvents,
    selectedPair,
    negotiationStats,
    diagnose,
    leave,
  };
})();
