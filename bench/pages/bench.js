// In-page half of the benchmarks (Chromium and Firefox). A classic script loaded before the bundle,
// so its wrappers are in place when socket.io-client and the session look up WebSocket and
// RTCPeerConnection. Plain JavaScript on purpose: node calls it with string expressions
// (`__bench.x(...)`), so tsx's `__name` helpers never reach the page.
//
// Every timestamp is epoch milliseconds with sub-millisecond precision
// (performance.timeOrigin + performance.now()), so marks of two pages can be put on one axis.
(() => {
  if (globalThis.__bench) return;

  const now = () => performance.timeOrigin + performance.now();
  /** name → first time it happened on this page. */
  const marks = {};
  const mark = (name) => {
    if (!(name in marks)) marks[name] = now();
  };

  // --- signaling: the WebSocket that socket.io-client opens, and the first packet of each kind ---
  // socket.io text packets: "0{…}" engine.io open, "40{…}" connected, "42<ack>[event,…]", "43<ack>[…]".
  const classify = (data) => {
    if (typeof data !== 'string') return null;
    if (data.startsWith('0')) return 'eio-open';
    if (data.startsWith('40')) return 'sio-connect';
    if (data.startsWith('43')) return 'ack';
    const m = /^42\d*\["([\w-]+)"/.exec(data);
    if (!m) return null;
    if (m[1] !== 'signal') return m[1];
    if (data.includes('"type":"offer"')) return 'signal-offer';
    if (data.includes('"type":"answer"')) return 'signal-answer';
    if (data.includes('"candidate":{')) return 'signal-candidate';
    return 'signal-other';
  };
  // `recv:ack` is the join's reply (other requests, e.g. prepare()'s ice-servers, are acked too:
  // `recv:ack-other`), matched by the ack id socket.io puts after "42" / "43".
  const ackId = (data) => /^4[23](\d+)/.exec(data)?.[1] ?? null;
  let joinAck = null;
  const NativeWebSocket = globalThis.WebSocket;
  globalThis.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      mark('ws-create');
      this.addEventListener('open', () => mark('ws-open'), { once: true });
      this.addEventListener('message', (e) => {
        let kind = classify(e.data);
        if (kind === 'ack' && ackId(e.data) !== joinAck) kind = 'ack-other';
        if (kind) mark(`recv:${kind}`);
      });
    }
    send(data) {
      const kind = classify(data);
      if (kind === 'join') joinAck = ackId(data);
      if (kind) mark(`send:${kind}`);
      return super.send(data);
    }
  };

  // ?poll=<ms> on the page's URL: poll getStats() from the video track event until the first
  // decoded frame, marking the first video packet received and the first frame decoded.
  const POLL_MS = Number(new URL(location.href).searchParams.get('poll') ?? 0);
  async function pollInbound(pc, p) {
    const until = now() + 30000;
    while (pc.connectionState !== 'closed' && now() < until) {
      const stats = await pc.getStats();
      let packets = 0;
      let decoded = 0;
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp' && (r.kind ?? r.mediaType) === 'video') {
          packets += r.packetsReceived ?? 0;
          decoded += r.framesDecoded ?? 0;
        }
      });
      if (packets > 0) mark(`${p}video-packets-received`);
      if (decoded > 0) {
        mark(`${p}video-frames-decoded`);
        return;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  // --- peer connections: state changes, numbered in creation order on this page ---
  const NativePC = globalThis.RTCPeerConnection;
  let pcCount = 0;
  globalThis.RTCPeerConnection = class extends NativePC {
    constructor(...args) {
      super(...args);
      const p = `pc${++pcCount}:`;
      mark(`${p}create`);
      this.addEventListener('signalingstatechange', () => mark(`${p}signaling:${this.signalingState}`));
      this.addEventListener('iceconnectionstatechange', () => mark(`${p}ice:${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => mark(`${p}connection:${this.connectionState}`));
      this.addEventListener('icegatheringstatechange', () => mark(`${p}gathering:${this.iceGatheringState}`));
      this.addEventListener('icecandidate', (e) => e.candidate?.candidate && mark(`${p}local-candidate`));
      this.addEventListener('track', (e) => {
        mark(`${p}track:${e.track.kind}`);
        if (e.track.kind === 'video' && POLL_MS > 0) void pollInbound(this, p);
      });
    }
  };

  /**
   * Resolves at the first video frame presented by `video` (requestVideoFrameCallback), with the
   * time the callback ran and the frame's metadata. presentedFrames > 1 would mean frames were
   * presented before we started watching (the figure would then be late).
   */
  function firstFrame(video, name) {
    if (typeof video.requestVideoFrameCallback !== 'function') return Promise.reject(new Error('requestVideoFrameCallback is not supported'));
    for (const type of ['loadedmetadata', 'loadeddata', 'playing', 'resize']) {
      video.addEventListener(type, () => mark(`${name}:video-${type}`), { once: true });
    }
    return new Promise((resolve) => {
      video.requestVideoFrameCallback((_ts, meta) => {
        const t = now();
        mark(name);
        resolve({
          t,
          presentationTime: meta.presentationTime !== undefined ? performance.timeOrigin + meta.presentationTime : null,
          presentedFrames: meta.presentedFrames ?? null,
          width: meta.width ?? video.videoWidth,
          height: meta.height ?? video.videoHeight,
        });
      });
    });
  }

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // --- ours: one <rtc-room> on the page ---
  async function room() {
    await customElements.whenDefined('rtc-room');
    const el = document.querySelector('rtc-room');
    if (!el) throw new Error('no <rtc-room> on the page');
    await el.updateComplete;
    if (!el.session) throw new Error('<rtc-room> has no session');
    return el;
  }

  /**
   * Watch the first remote participant's tile and resolve at the first frame its <video> presents.
   * The tile exists as soon as the peer is known (join reply or peer-joined), long before media can
   * flow, so the frame callback is registered in time (checked with presentedFrames).
   */
  function watchRemote(el) {
    return new Promise((resolve, reject) => {
      let id = null;
      const off = el.session.participants.subscribe((ps) => {
        const remote = ps.find((p) => !p.isLocal);
        if (remote && id === null) {
          id = remote.id;
          mark('remote-participant');
          off?.();
          void find();
        }
      });
      // subscribe() calls back at once; `off` may not be assigned yet then.
      if (id !== null) off();
      async function find() {
        for (let i = 0; i < 30000; i++) {
          const tile = el.shadowRoot?.querySelector(`rtc-video-tile[participant-id="${CSS.escape(id)}"]`);
          const video = tile?.shadowRoot?.querySelector('video');
          if (video) {
            mark('remote-tile');
            firstFrame(video, 'first-frame').then(resolve, reject);
            return;
          }
          await sleep(2);
        }
        reject(new Error('the remote tile never appeared'));
      }
    });
  }

  let remoteFrame = null;

  /** Page A: join and wait; then watch for the newcomer's video. */
  async function joinAndWatch(name) {
    const el = await room();
    await el.join(name);
    remoteFrame = watchRemote(el);
    remoteFrame.catch(() => undefined);
    return { status: el.session.status.get(), localId: el.session.localId };
  }

  /**
   * Page B: what the pre-join step does: open camera and microphone, and get the join ready
   * (connect to the server, ICE servers, the join's key and proof).
   */
  async function preview() {
    const el = await room();
    const state = await el.session.startMedia();
    await el.session.prepare();
    return { hasAudio: state.hasAudio, hasVideo: state.hasVideo, visibility: document.visibilityState };
  }

  /** Page B: start the clock, join, stop at the first remote frame. */
  async function joinTimed(name) {
    const el = await room();
    const frame = watchRemote(el);
    const t0 = now();
    marks.t0 = t0;
    const joined = el.join(name).then(() => mark('join-resolved'));
    const f = await frame;
    await joined;
    return { t0, frame: f, marks: { ...marks } };
  }

  /** Page A: the newcomer's first frame, with A's marks. */
  async function remoteFrameSeen() {
    if (!remoteFrame) throw new Error('joinAndWatch() was not called');
    const frame = await remoteFrame;
    return { frame, marks: { ...marks } };
  }

  async function leave() {
    const el = document.querySelector('rtc-room');
    await el?.leave();
  }

  // --- core: the bundle's RtcSession with no element rendered (a plain <video> per remote) ---
  let coreSession = null;

  async function coreSessionFor(room) {
    if (!coreSession) {
      const { RtcSession } = await (await import('/rtc-widgets.js')).loadCore();
      coreSession = new RtcSession({ room, server: location.origin });
    }
    return coreSession;
  }

  /** The first remote participant's stream in a plain <video>, set up as soon as the participant is known. */
  function watchRemoteStream(session) {
    return new Promise((resolve, reject) => {
      let done = false;
      let off = null;
      off = session.participants.subscribe((ps) => {
        const remote = ps.find((p) => !p.isLocal);
        if (!remote || done) return;
        done = true;
        mark('remote-participant');
        queueMicrotask(() => off?.());
        const video = remoteVideo();
        firstFrame(video, 'first-frame').then(resolve, reject);
        video.srcObject = remote.stream;
        video.play().catch(() => undefined);
      });
    });
  }

  let coreRemoteFrame = null;

  async function coreJoinAndWatch(room, name) {
    const session = await coreSessionFor(room);
    await session.join(name);
    coreRemoteFrame = watchRemoteStream(session);
    coreRemoteFrame.catch(() => undefined);
    return { status: session.status.get() };
  }

  async function corePreview(room) {
    const session = await coreSessionFor(room);
    const state = await session.startMedia();
    await session.prepare();
    return { hasAudio: state.hasAudio, hasVideo: state.hasVideo };
  }

  async function coreJoinTimed(name) {
    const session = coreSession;
    if (!session) throw new Error('corePreview() was not called');
    const frame = watchRemoteStream(session);
    const t0 = now();
    marks.t0 = t0;
    const joined = session.join(name).then(() => mark('join-resolved'));
    const f = await frame;
    await joined;
    return { t0, frame: f, marks: { ...marks } };
  }

  async function coreRemoteFrameSeen() {
    if (!coreRemoteFrame) throw new Error('coreJoinAndWatch() was not called');
    const frame = await coreRemoteFrame;
    return { frame, marks: { ...marks } };
  }

  async function coreLeave() {
    await coreSession?.leave();
  }

  // --- raw: two RTCPeerConnections in this page, candidates handed over directly ---
  let rawStream = null;
  let rawClones = null;
  let rawPeers = [];

  async function rawPreview() {
    rawStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    return { tracks: rawStream.getTracks().map((t) => t.kind), visibility: document.visibilityState };
  }

  function remoteVideo() {
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.style.width = '320px';
    document.body.append(video);
    return video;
  }

  /** Set the first remote video track's stream on `video` and play it, as the tile does. */
  function show(pc, video) {
    pc.addEventListener('track', (e) => {
      if (e.track.kind !== 'video' || video.srcObject) return;
      video.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      video.play().catch(() => undefined);
    });
  }

  /**
   * Clock from creating the connections to the first remote video frame at the offerer (pc1, the
   * newcomer's role in a call: it offers); the answerer's (pc2) first frame is recorded too.
   */
  async function rawCall() {
    if (!rawStream) throw new Error('rawPreview() was not called');
    const stream1 = rawStream;
    const stream2 = rawStream.clone(); // the answerer sends too, as in a call
    rawClones = stream2;
    const video1 = remoteVideo();
    const video2 = remoteVideo();
    const frame1 = firstFrame(video1, 'first-frame');
    const frame2 = firstFrame(video2, 'answerer-first-frame');

    const t0 = now();
    marks.t0 = t0;
    const pc1 = new RTCPeerConnection();
    const pc2 = new RTCPeerConnection();
    rawPeers = [pc1, pc2];
    pc1.onicecandidate = (e) => e.candidate?.candidate && pc2.addIceCandidate(e.candidate).catch(() => undefined);
    pc2.onicecandidate = (e) => e.candidate?.candidate && pc1.addIceCandidate(e.candidate).catch(() => undefined);
    show(pc1, video1);
    show(pc2, video2);
    for (const t of stream1.getTracks()) pc1.addTrack(t, stream1);
    for (const t of stream2.getTracks()) pc2.addTrack(t, stream2);
    await pc1.setLocalDescription();
    await pc2.setRemoteDescription(pc1.localDescription);
    await pc2.setLocalDescription();
    await pc1.setRemoteDescription(pc2.localDescription);
    const [f1, f2] = await Promise.all([frame1, frame2]);
    return { t0, frame: f1, answererFrame: f2, marks: { ...marks } };
  }

  function rawClose() {
    for (const pc of rawPeers) pc.close();
    rawPeers = [];
    for (const t of [...(rawStream?.getTracks() ?? []), ...(rawClones?.getTracks() ?? [])]) t.stop();
    rawStream = rawClones = null;
  }

  // --- raw across two pages: the same bare connections, one per page (two renderer processes),
  // with offer, answer and candidates passed through a BroadcastChannel instead of a server ---
  let pairFrame = null;

  /** One peer of a two-page pair: answers whatever offer comes on `channel`. Call rawPreview() first. */
  function pairListen(channel) {
    if (!rawStream) throw new Error('rawPreview() was not called');
    const stream = rawStream;
    const ch = new BroadcastChannel(channel);
    const video = remoteVideo();
    pairFrame = firstFrame(video, 'first-frame');
    pairFrame.catch(() => undefined);
    let pc = null;
    let chain = Promise.resolve();
    ch.onmessage = ({ data }) => {
      chain = chain.then(async () => {
        if (data.type === 'offer') {
          mark('recv:offer');
          pc = new RTCPeerConnection();
          rawPeers.push(pc);
          show(pc, video);
          pc.onicecandidate = (e) => e.candidate?.candidate && ch.postMessage({ type: 'candidate', candidate: e.candidate.toJSON() });
          for (const t of stream.getTracks()) pc.addTrack(t, stream);
          await pc.setRemoteDescription(data.description);
          await pc.setLocalDescription();
          ch.postMessage({ type: 'answer', description: { type: 'answer', sdp: pc.localDescription.sdp } });
          mark('send:answer');
        } else if (data.type === 'candidate' && pc) {
          await pc.addIceCandidate(data.candidate).catch(() => undefined);
        }
      });
    };
    return true;
  }

  /** The other peer: clock from creating its connection to the first remote frame. */
  async function pairCall(channel) {
    if (!rawStream) throw new Error('rawPreview() was not called');
    const stream = rawStream;
    const ch = new BroadcastChannel(channel);
    const video = remoteVideo();
    const frame = firstFrame(video, 'first-frame');
    const t0 = now();
    marks.t0 = t0;
    const pc = new RTCPeerConnection();
    rawPeers.push(pc);
    show(pc, video);
    let chain = Promise.resolve();
    ch.onmessage = ({ data }) => {
      chain = chain.then(async () => {
        if (data.type === 'answer') {
          mark('recv:answer');
          await pc.setRemoteDescription(data.description);
        } else if (data.type === 'candidate') {
          await pc.addIceCandidate(data.candidate).catch(() => undefined);
        }
      });
    };
    pc.onicecandidate = (e) => e.candidate?.candidate && ch.postMessage({ type: 'candidate', candidate: e.candidate.toJSON() });
    for (const t of stream.getTracks()) pc.addTrack(t, stream);
    await pc.setLocalDescription();
    ch.postMessage({ type: 'offer', description: { type: 'offer', sdp: pc.localDescription.sdp } });
    mark('send:offer');
    const f = await frame;
    return { t0, frame: f, marks: { ...marks } };
  }

  /** The listening side's first frame, with its marks. */
  async function pairFrameSeen() {
    if (!pairFrame) throw new Error('pairListen() was not called');
    const frame = await pairFrame;
    return { frame, marks: { ...marks } };
  }

  globalThis.__bench = {
    marks,
    joinAndWatch,
    preview,
    joinTimed,
    remoteFrameSeen,
    leave,
    rawPreview,
    rawCall,
    rawClose,
    pairListen,
    pairCall,
    pairFrameSeen,
    coreJoinAndWatch,
    corePreview,
    coreJoinTimed,
    coreRemoteFrameSeen,
    coreLeave,
  };
})();
