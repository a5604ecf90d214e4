// Runs inside the browser page (Chromium and Firefox), injected as a string by call.ts: plain
// JavaScript, so tsx's `__name` helpers never leak into the page. Installs `globalThis.__e2e`
// once per document; every call from node goes through it.
(() => {
  if (globalThis.__e2e) return;

  /** Every element matching `selector` in the document and in every open shadow root under it. */
  function deepAll(selector, root = document) {
    const out = [...root.querySelectorAll(selector)];
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...deepAll(selector, el.shadowRoot));
    return out;
  }

  /** Rendered (has a box), as a user would see it. */
  function shown(el) {
    return el.getClientRects().length > 0;
  }

  function text(el) {
    return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The form control labelled `label` (a <label> with exactly that text), as a screen reader finds it. */
  function field(label) {
    const l = deepAll('label').find((x) => shown(x) && text(x) === label);
    return l?.control ?? null;
  }

  /** The shown, enabled button whose text is exactly `label`. */
  function button(label) {
    return deepAll('button').find((b) => shown(b) && !b.disabled && text(b) === label) ?? null;
  }

  function room() {
    return document.querySelector('rtc-room');
  }

  function tileFor(id) {
    return room()?.shadowRoot?.querySelector(`rtc-video-tile[participant-id="${CSS.escape(id)}"]`) ?? null;
  }

  /** Inbound RTP of one kind, summed over its streams (a renegotiation may leave an old one). */
  function inbound(stats, kind) {
    const sum = { count: 0, packetsReceived: 0, bytesReceived: 0, framesDecoded: 0, totalSamplesReceived: 0 };
    stats.forEach((r) => {
      if (r.type !== 'inbound-rtp' || (r.kind ?? r.mediaType) !== kind) return;
      sum.count++;
      for (const k of ['packetsReceived', 'bytesReceived', 'framesDecoded', 'totalSamplesReceived']) sum[k] += r[k] ?? 0;
    });
    return sum;
  }

  /** Everything a test asserts about the call, as plain data. */
  async function snapshot() {
    const r = room();
    const session = r?.session;
    if (!session) return { status: 'no-session', localId: null, remotes: [], tiles: 0 };
    const participants = session.participants.get();
    const remotes = [];
    for (const p of participants) {
      if (p.isLocal) continue;
      const pc = session.peerConnection(p.id);
      let video = null;
      let audio = null;
      if (pc && pc.connectionState !== 'closed') {
        // Firefox can leave getStats() unsettled for a connection that fails or closes meanwhile;
        // without a bound one such call hangs the whole snapshot (and the test's wait with it).
        const stats = await Promise.race([pc.getStats(), new Promise((resolve) => setTimeout(resolve, 3000, null))]);
        if (stats) {
          video = inbound(stats, 'video');
          audio = inbound(stats, 'audio');
        }
      }
      const tile = tileFor(p.id);
      const v = tile?.shadowRoot?.querySelector('video');
      remotes.push({
        id: p.id,
        name: p.name,
        connectionState: p.connectionState,
        pcState: pc?.connectionState ?? null,
        video,
        audio,
        negotiation: session.negotiationStats(p.id) ?? null,
        tile: tile
          ? {
              label: text(tile.shadowRoot?.querySelector('[part~="label"]') ?? document.createElement('i')),
              videoMuted: tile.hasAttribute('video-muted'),
              videoWidth: v?.videoWidth ?? 0,
              paused: v?.paused ?? true,
              muted: v?.muted ?? null,
              hasAudioTrack: !!v?.srcObject?.getAudioTracks?.().some((t) => t.readyState === 'live'),
            }
          : null,
      });
    }
    return {
      status: session.status.get(),
      localId: session.localId,
      remotes,
      tiles: r.shadowRoot?.querySelectorAll('rtc-video-tile[participant-id]').length ?? 0,
    };
  }

  /** What the page tells the user about problems: the call's error banner and the pre-join device errors. */
  function messages() {
    return deepAll('[role="alert"], [part~="error"]').filter(shown).map(text).filter(Boolean);
  }

  /**
   * Record every RTCPeerConnection and every getUserMedia track the page ever makes (installed
   * before the page's scripts run), so a cleanup check also sees what the session lost track of.
   * Held weakly, so that the recording keeps nothing alive (a leak check must not cause leaks): a
   * browser never collects a peer connection that is not closed, nor a live capture track with
   * listeners; one that was collected is counted as closed or ended.
   */
  function instrument() {
    if (globalThis.__e2eRecorded) return;
    const recorded = { pcs: [], tracks: [] };
    globalThis.__e2eRecorded = recorded;
    const Orig = globalThis.RTCPeerConnection;
    if (Orig) {
      const Wrapped = function (...args) {
        const pc = new Orig(...args);
        recorded.pcs.push(new WeakRef(pc));
        return pc;
      };
      Wrapped.prototype = Orig.prototype;
      Object.setPrototypeOf(Wrapped, Orig);
      globalThis.RTCPeerConnection = Wrapped;
    }
    const md = navigator.mediaDevices;
    if (md?.getUserMedia) {
      const gum = md.getUserMedia.bind(md);
      md.getUserMedia = async (constraints) => {
        const stream = await gum(constraints);
        recorded.tracks.push(...stream.getTracks().map((t) => new WeakRef(t)));
        return stream;
      };
    }
  }

  function recorded() {
    const r = globalThis.__e2eRecorded;
    if (!r) return null;
    const pcs = r.pcs.map((ref) => ref.deref());
    return {
      pcs: pcs.map((pc) => (pc ? pc.connectionState : 'closed')),
      signaling: pcs.map((pc) => (pc ? pc.signalingState : 'closed')),
      tracks: r.tracks.map((ref) => ref.deref()).map((t) => (t ? `${t.kind}:${t.readyState}` : 'collected:ended')),
    };
  }

  globalThis.__e2e = { deepAll, field, button, room, tileFor, snapshot, messages, instrument, recorded };
})();
