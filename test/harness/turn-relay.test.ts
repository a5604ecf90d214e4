/**
 * Infrastructure check: the TURN credentials the signaling server mints on `join` work against
 * the run's real coturn. Two peer connections in this page, relay-only, must connect through it
 * and carry a data channel message. Candidates go straight from one connection to the other,
 * so only the server's credentials and coturn are under test here.
 */
import { expect } from '@open-wc/testing';
import { io, type Socket } from 'socket.io-client';

interface JoinAck {
  ok: boolean;
  id?: string;
  iceServers?: RTCIceServer[];
  error?: { code: string; message: string };
}

async function signalUrl(): Promise<string> {
  const info = (await (await fetch('/__signal')).json()) as { url?: string; error?: string };
  if (!info.url) throw new Error(`no signaling server: ${info.error ?? 'unknown reason'}`);
  return info.url;
}

function connect(url: string): Promise<Socket> {
  // forceNew: two clients in one page; websocket only: no long-polling CORS round trips.
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => reject(new Error(`socket.io connect failed: ${e.message}`)));
  });
}

async function joinIceServers(socket: Socket, room: string, name: string): Promise<RTCIceServer[]> {
  const reply = (await socket.timeout(10000).emitWithAck('join', { room, name })) as JoinAck;
  if (!reply.ok) throw new Error(`join refused: ${reply.error?.code} ${reply.error?.message}`);
  return reply.iceServers ?? [];
}

/** The selected candidate pair's local and remote candidate stats (Chromium: transport stats; Firefox: `selected`). */
async function selectedPair(pc: RTCPeerConnection) {
  const stats = await pc.getStats();
  let pair: any;
  stats.forEach((s: any) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair ??= stats.get(s.selectedCandidatePairId);
  });
  stats.forEach((s: any) => {
    if (!pair && s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded'))) pair = s;
  });
  if (!pair) return undefined;
  return { local: stats.get(pair.localCandidateId), remote: stats.get(pair.remoteCandidateId) };
}

function connected(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pc.connectionState === 'connected') resolve();
      else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') reject(new Error(`peer connection ${pc.connectionState}`));
    };
    pc.addEventListener('connectionstatechange', check);
    check();
  });
}

describe('harness: TURN relay with server-minted credentials', () => {
  const sockets: Socket[] = [];
  const pcs: RTCPeerConnection[] = [];
  afterEach(() => {
    for (const pc of pcs.splice(0)) pc.close();
    for (const s of sockets.splice(0)) s.disconnect();
  });

  it('connects two relay-only peers through coturn and delivers a data channel message', async function () {
    this.timeout(30000);
    const url = await signalUrl();
    const room = `turn-relay-${Math.random().toString(36).slice(2, 10)}`;
    const [sa, sb] = await Promise.all([connect(url), connect(url)]);
    sockets.push(sa, sb);
    const iceA = await joinIceServers(sa, room, 'relay-a');
    const iceB = await joinIceServers(sb, room, 'relay-b');

    for (const ice of [iceA, iceB]) {
      const turn = ice.filter((s) => [s.urls].flat().some((u) => u.startsWith('turn:')));
      expect(turn, 'join reply carries a TURN server').to.have.length.greaterThan(0);
      expect(turn[0].username, 'TURN username').to.be.a('string').and.not.empty;
      expect(turn[0].credential, 'TURN credential').to.be.a('string').and.not.empty;
    }

    const a = new RTCPeerConnection({ iceServers: iceA, iceTransportPolicy: 'relay' });
    const b = new RTCPeerConnection({ iceServers: iceB, iceTransportPolicy: 'relay' });
    pcs.push(a, b);
    const iceErrors: string[] = [];
    let failFast!: (e: Error) => void;
    const noCandidates = new Promise<never>((_, reject) => (failFast = reject));
    for (const [pc, other, label] of [
      [a, b, 'A'],
      [b, a, 'B'],
    ] as const) {
      let gathered = 0;
      pc.onicecandidate = (e) => {
        // Firefox ends with an empty-string candidate: skip it.
        if (!e.candidate?.candidate) return;
        gathered++;
        other.addIceCandidate(e.candidate).catch(() => {});
      };
      pc.addEventListener('icecandidateerror', (e: Event) => {
        const err = e as RTCPeerConnectionIceErrorEvent;
        iceErrors.push(`${err.errorCode} ${err.errorText} (${err.url})`);
      });
      // Relay-only with no relay candidate can never connect: say why now instead of timing out.
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete' && gathered === 0) {
          failFast(new Error(`peer ${label} gathered no relay candidate; ICE errors: ${iceErrors.join('; ') || 'none'}`));
        }
      });
    }

    const received = new Promise<string>((resolve) => {
      b.ondatachannel = ({ channel }) => (channel.onmessage = (m) => resolve(String(m.data)));
    });
    const channel = a.createDataChannel('hello');
    const opened = new Promise<void>((resolve) => {
      if (channel.readyState === 'open') resolve();
      else channel.onopen = () => resolve();
    });

    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);

    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no relay connection in 20 s; ICE errors: ${iceErrors.join('; ') || 'none'}`)), 20000);
    });
    try {
      await Promise.race([Promise.all([connected(a), connected(b), opened]), timeout, noCandidates]);
      channel.send('hello through coturn');
      expect(await Promise.race([received, timeout])).to.equal('hello through coturn');
    } finally {
      clearTimeout(timer);
    }

    for (const pc of [a, b]) {
      const pair = await selectedPair(pc);
      expect(pair, 'a selected candidate pair').to.exist;
      expect(pair!.local?.candidateType, 'local candidate type').to.equal('relay');
      expect(pair!.remote?.candidateType, 'remote candidate type').to.equal('relay');
    }
  });
});
