// In-page half of bench/app-channel.ts (Chromium and Firefox): small messages at a game's pace
// through the bundle's AppChannels (session.channel(), one unordered/unreliable and one
// ordered/reliable) and through a bare RTCPeerConnection pair between the same two pages with the
// same two kinds of RTCDataChannel (`raw`, the floor). Called with string expressions
// (`__bench.x(...)`), like files.js.
//
// Timestamps are epoch milliseconds with sub-millisecond precision
// (performance.timeOrigin + performance.now()): both pages are on one machine, so the receiver's
// clock minus the sender's stamp is the one-way latency.
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  let session = null;
  /** AppChannels by variant: u (unordered, maxRetransmits 0) and r (ordered, reliable). */
  const app = {};
  let rawPc = null;
  const raw = {};
  /** Latencies (ms) received since the last take(), by variant. */
  let got = { 'app-u': [], 'app-r': [], 'raw-u': [], 'raw-r': [] };

  function onMessage(variant, data) {
    const t = now();
    const m = typeof data === 'string' ? JSON.parse(data) : data;
    if (m && typeof m.t === 'number') got[variant].push(t - m.t);
  }

  async function join(room, name) {
    const { RtcSession } = await (await import('/rtc-widgets.js')).loadCore();
    session = new RtcSession({ room, name, server: location.origin, media: { audio: false, video: false } });
    app.u = session.channel('bench-unreliable', { ordered: false, maxRetransmits: 0 });
    app.r = session.channel('bench-reliable');
    app.u.on('message', ({ data }) => onMessage('app-u', data));
    app.r.on('message', ({ data }) => onMessage('app-r', data));
    await session.join(name);
    return session.localId;
  }

  /** Both app channels ready with the other page (its hello arrived). */
  async function ready(timeoutMs) {
    const until = now() + timeoutMs;
    while (!(app.u.peers.get().length && app.r.peers.get().length)) {
      if (now() > until) throw new Error('the app channels never became ready');
      await sleep(20);
    }
    return { ids: [app.u.id, app.r.id] };
  }

  async function leave() {
    await session?.leave();
    rawPc?.close();
    return true;
  }

  // ---- raw: one bare RTCPeerConnection per page, the two channel kinds, negotiated ----
  function rawSetup() {
    rawPc?.close();
    rawPc = new RTCPeerConnection();
    raw.u = rawPc.createDataChannel('u', { negotiated: true, id: 0, ordered: false, maxRetransmits: 0 });
    raw.r = rawPc.createDataChannel('r', { negotiated: true, id: 1, ordered: true });
    raw.u.onmessage = ({ data }) => onMessage('raw-u', data);
    raw.r.onmessage = ({ data }) => onMessage('raw-r', data);
  }
  function gathered(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      pc.addEventListener('icecandidate', (e) => e.candidate === null && resolve());
    });
  }
  async function rawOffer() {
    rawSetup();
    await rawPc.setLocalDescription();
    await gathered(rawPc);
    return rawPc.localDescription.sdp;
  }
  async function rawAnswer(sdp) {
    rawSetup();
    await rawPc.setRemoteDescription({ type: 'offer', sdp });
    await rawPc.setLocalDescription();
    await gathered(rawPc);
    return rawPc.localDescription.sdp;
  }
  async function rawAccept(sdp) {
    await rawPc.setRemoteDescription({ type: 'answer', sdp });
    return true;
  }
  async function rawOpen(timeoutMs) {
    const until = now() + timeoutMs;
    while (raw.u.readyState !== 'open' || raw.r.readyState !== 'open') {
      if (now() > until) throw new Error(`raw channels ${raw.u.readyState}/${raw.r.readyState}`);
      await sleep(20);
    }
    return true;
  }

  /**
   * Send `count` small messages on `variant` at `rate` per second (timers aimed at fixed target
   * times), each `{seq, t, x, y}` with t the time of the send call. `lag`: how late timers ran.
   */
  async function sendFor(variant, count, rate) {
    const [kind, rel] = variant.split('-');
    const send = kind === 'app' ? (m) => app[rel].send(m) : (m) => raw[rel].send(JSON.stringify(m));
    const start = now();
    const lag = [];
    let dropped = 0;
    for (let seq = 0; seq < count; seq++) {
      const target = start + (seq * 1000) / rate;
      const wait = target - now();
      if (wait > 0) await sleep(wait);
      lag.push(now() - target);
      const r = send({ seq, t: now(), x: Math.random(), y: Math.random() });
      if (r && r.dropped) dropped++;
    }
    return { sent: count, dropped, lag };
  }

  /**
   * The same, on all four variants at once: each tick sends one message on each, in an order that
   * rotates tick by tick, so every variant meets the same load (the machine's, and each other's).
   */
  async function sendAll(variants, count, rate) {
    const senders = variants.map((variant) => {
      const [kind, rel] = variant.split('-');
      return kind === 'app' ? (m) => app[rel].send(m) : (m) => raw[rel].send(JSON.stringify(m));
    });
    const start = now();
    const lag = [];
    let dropped = 0;
    for (let seq = 0; seq < count; seq++) {
      const target = start + (seq * 1000) / rate;
      const wait = target - now();
      if (wait > 0) await sleep(wait);
      lag.push(now() - target);
      for (let i = 0; i < senders.length; i++) {
        const r = senders[(seq + i) % senders.length]({ seq, t: now(), x: Math.random(), y: Math.random() });
        if (r && r.dropped) dropped++;
      }
    }
    return { sent: count, dropped, lag };
  }

  function take(variant) {
    const out = got[variant];
    got[variant] = [];
    return out;
  }

  globalThis.__bench = { join, ready, leave, rawOffer, rawAnswer, rawAccept, rawOpen, sendFor, sendAll, take };
})();
