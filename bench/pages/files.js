// In-page half of bench/file-transfer.ts (Chromium and Firefox): file throughput through the
// bundle's RtcSession (`ours`) and through a bare RTCDataChannel between the same two pages
// (`raw`, the ceiling), and chat latency. Plain JavaScript called with string expressions
// (`__bench.x(...)`), like bench.js; no wrappers around WebSocket or RTCPeerConnection here.
//
// Timestamps are epoch milliseconds with sub-millisecond precision
// (performance.timeOrigin + performance.now()), comparable between the two pages.
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const MiB = 1024 * 1024;
  /** The library's defaults (src/core/data/file-transfer.ts), used by the raw ceiling too. */
  let CHUNK = 256 * 1024;
  const HEADER = 4;
  const READ_BLOCK = MiB;
  let HIGH_WATER = MiB;
  let LOW_WATER = 512 * 1024;

  const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

  // ---- test files: generated once per size on the sender, the same Blob for ours and raw ----
  /** size → { blob, sha256 } */
  const files = new Map();

  /**
   * `bytes` of random data as a Blob, built from 1 MiB Blobs (each a copy of one reused buffer, so
   * the page never holds more than 1 MiB of it). `withHash`: also its SHA-256 (WebCrypto, one
   * transient copy of the whole file in memory; done before any timing).
   */
  async function makeFile(bytes, withHash) {
    const t = now();
    const part = new Uint8Array(MiB);
    const blobs = [];
    for (let at = 0; at < bytes; at += MiB) {
      const n = Math.min(MiB, bytes - at);
      for (let o = 0; o < n; o += 65536) crypto.getRandomValues(part.subarray(o, Math.min(n, o + 65536)));
      blobs.push(new Blob([part.subarray(0, n)]));
    }
    const blob = new Blob(blobs, { type: 'application/octet-stream' });
    const sha256 = withHash ? hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())) : null;
    files.set(bytes, { blob, sha256 });
    return { size: blob.size, sha256, ms: now() - t };
  }

  function dropFile(bytes) {
    files.delete(bytes);
    return true;
  }

  function fileOf(bytes) {
    const f = files.get(bytes);
    if (!f) throw new Error(`no ${bytes}-byte file: call makeFile() first`);
    return f;
  }

  // ---- ours: the bundle's RtcSession, media off ----
  let session = null;
  /** Chat pings received: { seq, sent, recv }. */
  let pings = [];
  /** Transfer id → when its progress first reached every byte (sender: all queued on the channel; receiver: all arrived). */
  const complete = new Map();

  /**
   * Join `room` as `name`. `water` = [high, low] overrides the library's flow-control defaults
   * (files: {highWaterMark, lowWaterMark}), and the raw pair's the same way; `chunk` (bytes per
   * message, files: {chunkSize}) likewise.
   */
  async function join(room, name, water, chunk) {
    if (water) [HIGH_WATER, LOW_WATER] = water;
    if (chunk) CHUNK = chunk;
    const { RtcSession } = await (await import('/rtc-widgets.js')).loadCore();
    // Both ends are the bench's own pages: every offer is accepted without asking.
    const files = { autoAccept: 'all', ...(water ? { highWaterMark: water[0], lowWaterMark: water[1] } : {}), ...(chunk ? { chunkSize: chunk } : {}) };
    session = new RtcSession({ room, name, server: location.origin, media: { audio: false, video: false }, files });
    session.on('transfer-progress', (t) => {
      if (t.bytes === t.size && !complete.has(t.id)) complete.set(t.id, now());
    });
    session.on('message', (m) => onPing(m.text));
    await session.join(name);
    return session.localId;
  }

  /** The one remote participant's id, once its chat and files channels are open. */
  async function connected(timeoutMs) {
    const until = now() + timeoutMs;
    while (now() < until) {
      const peer = session.participants.get().find((p) => !p.isLocal);
      if (peer && session.dataChannel(peer.id, 'files')?.readyState === 'open' && session.dataChannel(peer.id, 'chat')?.readyState === 'open') {
        const pc = session.peerConnection(peer.id);
        // Which check the sender's `end` carried (the hash the two libraries agreed on), for the report.
        session.dataChannel(peer.id, 'files').addEventListener('message', ({ data }) => {
          if (typeof data !== 'string' || !data.includes('"end"')) return;
          const end = JSON.parse(data);
          lastCheck = ['xxh64', 'sha256Blocks', 'sha256'].find((k) => k in end) ?? null;
        });
        return { peer: peer.id, maxMessageSize: pc?.sctp?.maxMessageSize ?? null };
      }
      await sleep(20);
    }
    throw new Error('the other page never connected (chat and files channels open)');
  }

  async function leave() {
    await session?.leave();
    session = null;
    return true;
  }

  function onPing(text) {
    const t = now();
    const p = /^bench-ping (\d+) (\d+(?:\.\d+)?)$/.exec(text);
    if (p) pings.push({ seq: Number(p[1]), sent: Number(p[2]), recv: t });
  }

  /**
   * Chat pings, one every `everyMs` (setTimeout towards fixed target times), each carrying the
   * time chat.send() was called. `lag` is how late each timer ran (the sender's main thread busy).
   */
  function pinger(everyMs, send = (text) => session.chat.send(text).catch(() => undefined)) {
    let seq = 0;
    let stopped = false;
    const lag = [];
    const start = now();
    const tick = () => {
      if (stopped) return;
      const target = start + seq * everyMs;
      const t = now();
      lag.push(t - target);
      send(`bench-ping ${seq++} ${t}`);
      setTimeout(tick, Math.max(0, start + seq * everyMs - now()));
    };
    tick();
    return {
      stop() {
        stopped = true;
        return { sent: seq, lag };
      },
    };
  }

  /** Chat pings without any transfer, for `ms` (the baseline). */
  async function pingFor(ms, everyMs) {
    const p = pinger(everyMs);
    await sleep(ms);
    return p.stop();
  }

  /** Receiver: the pings received so far (and forget them). */
  function takePings() {
    const out = pings;
    pings = [];
    return out;
  }

  let expected = null;

  /** Receiver: arm for the next file (resolves at 'file-received', the checksum already checked by the library). */
  function expectFile() {
    expected = new Promise((resolve, reject) => {
      const offs = [
        session.on('file-received', (t) => {
          const t1 = now();
          offs.forEach((off) => off());
          resolve({ t1, transfer: t });
        }),
        session.on('transfer-failed', (t) => {
          if (t.direction !== 'receive') return;
          offs.forEach((off) => off());
          reject(new Error(`receive failed: ${t.state}: ${t.error}`));
        }),
      ];
    });
    expected.catch(() => undefined);
    return true;
  }

  let lastReceived = null;
  /** The hash field of the last `end` received: 'xxh64', 'sha256Blocks' or 'sha256'. */
  let lastCheck = null;

  /** Receiver: wait for the file (armed by expectFile()). */
  async function received() {
    if (!expected) throw new Error('expectFile() was not called');
    const { t1, transfer } = await expected;
    expected = null;
    lastReceived = transfer;
    const lastByte = complete.get(transfer.id) ?? null;
    complete.delete(transfer.id);
    return { t1, lastByte, size: transfer.size, blobSize: transfer.blob?.size ?? null, state: transfer.state, check: lastCheck };
  }

  /**
   * Receiver, after the clock stopped: with `sha256`, hash the received Blob (WebCrypto) and
   * compare (else null). Then dismiss the transfer (its Blob and URL released).
   */
  async function verifyReceived(sha256) {
    const transfer = lastReceived;
    lastReceived = null;
    if (!transfer) throw new Error('nothing received');
    const ok = sha256 ? hex(await crypto.subtle.digest('SHA-256', await transfer.blob.arrayBuffer())) === sha256 : null;
    await session.files.dismiss(transfer.id);
    return ok;
  }

  /**
   * Sender: session.files.send() of the test file, clock from the call; resolves when the sender
   * hears back (`done`). With `pingEveryMs`, chat pings run for the whole transfer.
   */
  async function sendFile(bytes, pingEveryMs) {
    const { blob } = fileOf(bytes);
    const file = new File([blob], `bench-${bytes}.bin`, { type: 'application/octet-stream' });
    const p = pingEveryMs ? pinger(pingEveryMs) : null;
    const t0 = now();
    let end;
    let chat;
    let allQueued;
    try {
      const t = await session.files.send(file);
      end = await session.files.settled(t.id);
      allQueued = complete.get(t.id) ?? null;
      complete.delete(t.id);
      await session.files.dismiss(t.id);
    } finally {
      chat = p?.stop();
    }
    return { t0, allQueued, tSettled: now(), state: end.state, error: end.error ?? null, pingsSent: chat?.sent ?? 0, timerLag: chat?.lag ?? [] };
  }

  // ---- raw: one bare RTCPeerConnection per page with one RTCDataChannel, the same scheme ----
  let rawPc = null;
  let rawCh = null;
  /** A second channel of the raw pair, for the same chat pings as ours (negotiated id 1, like the library's chat). */
  let rawChat = null;
  let rawWant = 0;
  let rawGot = 0;
  let rawDone = null;

  function rawSetup() {
    rawPc?.close();
    rawPc = new RTCPeerConnection();
    rawCh = rawPc.createDataChannel('raw', { negotiated: true, id: 0, ordered: true });
    rawCh.binaryType = 'arraybuffer';
    rawCh.bufferedAmountLowThreshold = LOW_WATER;
    rawChat = rawPc.createDataChannel('chat', { negotiated: true, id: 1, ordered: true });
    rawChat.onmessage = ({ data }) => typeof data === 'string' && onPing(data);
    // The receiving side's whole job: count the bytes past the header.
    rawCh.onmessage = ({ data }) => {
      rawGot += data.byteLength - HEADER;
      if (rawDone && rawGot >= rawWant) {
        const done = rawDone;
        rawDone = null;
        done(now());
      }
    };
  }

  function gathered(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => pc.iceGatheringState === 'complete' && resolve();
      pc.addEventListener('icegatheringstatechange', check);
      pc.addEventListener('icecandidate', (e) => e.candidate === null && resolve());
    });
  }

  /** Offerer: the offer with every candidate in it (no trickle: node hands it over). */
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
    while (rawCh.readyState !== 'open' || rawChat.readyState !== 'open') {
      if (now() > until || rawCh.readyState === 'closed') throw new Error(`raw channel ${rawCh.readyState}`);
      await sleep(20);
    }
    return { maxMessageSize: rawPc.sctp?.maxMessageSize ?? null };
  }

  function rawExpect(bytes) {
    rawWant = bytes;
    rawGot = 0;
    expected = new Promise((resolve) => {
      rawDone = (t1) => resolve({ t1 });
    });
    expected.catch(() => undefined);
    return true;
  }

  async function rawReceived() {
    const { t1 } = await expected;
    expected = null;
    return { t1, lastByte: t1, size: rawGot };
  }

  function drained(ch) {
    return new Promise((resolve) => {
      const done = () => {
        ch.removeEventListener('bufferedamountlow', done);
        ch.removeEventListener('close', done);
        resolve();
      };
      ch.addEventListener('bufferedamountlow', done);
      ch.addEventListener('close', done);
    });
  }

  /**
   * Sender: the same bytes the way the library sends them, minus everything else: 1 MiB slices
   * read one ahead, 4-byte header + 256 KiB (capped by sctp.maxMessageSize) per message, queue
   * while bufferedAmount ≤ 1 MiB, resume on bufferedamountlow (512 KiB). No hashing, no progress.
   */
  async function rawSend(bytes, pingEveryMs) {
    // The same chat pings as ours, on the pair's second channel, while the file is queued.
    const ping = pingEveryMs ? pinger(pingEveryMs, (text) => rawChat.readyState === 'open' && rawChat.send(text)) : null;
    let sent;
    let chat;
    try {
      sent = await rawSendFile(bytes);
    } finally {
      chat = ping?.stop();
    }
    return { ...sent, pingsSent: chat?.sent ?? 0, timerLag: chat?.lag ?? [] };
  }

  async function rawSendFile(bytes) {
    const { blob } = fileOf(bytes);
    const ch = rawCh;
    const size = blob.size;
    const chunk = Math.max(1024, Math.min(CHUNK, (rawPc.sctp?.maxMessageSize ?? 65536) - HEADER));
    const read = (at) => blob.slice(at, Math.min(size, at + READ_BLOCK)).arrayBuffer();
    const t0 = now();
    let next = read(0);
    // Frames of `chunk` bytes across read blocks, as the library fills them.
    let frame = null;
    let filled = 0;
    let framed = 0;
    for (let at = 0; at < size;) {
      const block = new Uint8Array(await next);
      at += block.length;
      next = at < size ? read(at) : null;
      for (let p = 0; p < block.length;) {
        if (!frame) {
          if (ch.bufferedAmount > HIGH_WATER) await drained(ch);
          if (ch.readyState !== 'open') throw new Error('raw channel closed');
          frame = new Uint8Array(HEADER + Math.min(chunk, size - framed));
          new DataView(frame.buffer).setUint32(0, 1);
          framed += frame.length - HEADER;
          filled = 0;
        }
        const n = Math.min(frame.length - HEADER - filled, block.length - p);
        frame.set(block.subarray(p, p + n), HEADER + filled);
        filled += n;
        p += n;
        if (HEADER + filled === frame.length) {
          ch.send(frame);
          frame = null;
        }
      }
    }
    return { t0, allQueued: now(), chunk };
  }

  function rawClose() {
    rawPc?.close();
    rawPc = rawCh = rawChat = null;
    return true;
  }

  globalThis.__bench = {
    ...globalThis.__bench,
    makeFile,
    dropFile,
    join,
    connected,
    leave,
    pingFor,
    takePings,
    expectFile,
    received,
    verifyReceived,
    sendFile,
    rawOffer,
    rawAnswer,
    rawAccept,
    rawOpen,
    rawExpect,
    rawReceived,
    rawSend,
    rawClose,
  };
})();
