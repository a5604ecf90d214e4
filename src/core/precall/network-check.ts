/**
 * The network step of the pre-call check: ICE servers from the signaling server, the candidates
 * they give, and a relay-only loopback (two peer connections in this page, connected to each
 * other through TURN) for round trip and throughput.
 */
import { SocketIoTransport } from '../signaling/socket-io-transport.js';
import { hasStunServer, hasTurnServer, turnUrls } from './ice.js';
import { Resources, abortable, until, within } from './resources.js';
import type {
  CandidateCounts,
  IceErrorInfo,
  NetworkResult,
  NetworkVerdict,
  PrecallCheckOptions,
  PrecallCode,
  PrecallParams,
  PrecallStatus,
  RelayLoopbackResult,
} from './types.js';
import type { StepOutcome } from './media-checks.js';

const ICE_SERVERS_TIMEOUT_MS = 8000;
const GATHER_TIMEOUT_MS = 8000;
const RELAY_CONNECT_TIMEOUT_MS = 12_000;
const PINGS = 8;
const PING_TIMEOUT_MS = 3000;
const THROUGHPUT_TIMEOUT_MS = 8000;
const CHUNK = 16 * 1024;

/** Ask the server (or the given transport) for ICE servers; throws with a message for the user. */
async function serverIceServers(options: PrecallCheckOptions, res: Resources, signal?: AbortSignal): Promise<RTCIceServer[] | null> {
  let transport = options.transport;
  if (!transport && options.server) {
    const own = new SocketIoTransport(options.server);
    res.add(() => own.close());
    transport = own;
  }
  if (!transport) return null;
  const reply = await abortable(
    within(transport.iceServers(), ICE_SERVERS_TIMEOUT_MS, () => {
      throw new Error('no answer');
    }),
    signal,
  );
  return reply.iceServers as RTCIceServer[];
}

function candidateType(c: RTCIceCandidate): keyof CandidateCounts | undefined {
  const type = c.type ?? / typ (\w+)/.exec(c.candidate)?.[1];
  return type === 'host' || type === 'srflx' || type === 'prflx' || type === 'relay' ? type : undefined;
}

function collectErrors(pc: RTCPeerConnection, errors: IceErrorInfo[]): void {
  pc.addEventListener('icecandidateerror', (e) => {
    const ev = e as RTCPeerConnectionIceErrorEvent;
    if (!errors.some((x) => x.url === ev.url && x.errorCode === ev.errorCode))
      errors.push({ url: ev.url ?? '', errorCode: ev.errorCode, errorText: ev.errorText ?? '' });
  });
}

/** Local candidates gathered with `iceServers`, by type; `complete`: gathering finished (did not time out). */
async function gather(
  config: RTCConfiguration,
  res: Resources,
  errors: IceErrorInfo[],
  signal?: AbortSignal,
): Promise<{ counts: CandidateCounts; complete: boolean }> {
  const counts: CandidateCounts = { host: 0, srflx: 0, prflx: 0, relay: 0 };
  const pc = res.pc(new RTCPeerConnection(config));
  collectErrors(pc, errors);
  let complete = false;
  pc.addEventListener('icecandidate', ({ candidate }) => {
    // Firefox ends with an empty candidate string as well as with null.
    if (!candidate?.candidate) return void (complete = true);
    const type = candidateType(candidate);
    if (type) counts[type]++;
  });
  pc.createDataChannel('precall');
  await abortable(pc.setLocalDescription(await pc.createOffer()), signal);
  const finished = await abortable(
    until(() => complete || pc.iceGatheringState === 'complete', GATHER_TIMEOUT_MS, pc, ['icegatheringstatechange']),
    signal,
  );
  pc.close();
  return { counts, complete: finished };
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Two relay-only peer connections in this page, connected through TURN: RTT and throughput.
 * `hopeless()`: the relay is known to give no address, so waiting for it to connect is pointless.
 */
async function relayLoopback(
  iceServers: RTCIceServer[],
  bytes: number,
  res: Resources,
  errors: IceErrorInfo[],
  hopeless: () => boolean,
  signal?: AbortSignal,
): Promise<RelayLoopbackResult> {
  const config: RTCConfiguration = { iceServers, iceTransportPolicy: 'relay' };
  const a = res.pc(new RTCPeerConnection(config));
  const b = res.pc(new RTCPeerConnection(config));
  collectErrors(a, errors);
  collectErrors(b, errors);
  const result: RelayLoopbackResult = { connected: false, rttMs: null, throughputBytesPerSecond: null, bytes: 0 };
  const hand = (from: RTCPeerConnection, to: RTCPeerConnection) =>
    from.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate?.candidate) void to.addIceCandidate(candidate).catch(() => undefined);
    });
  hand(a, b);
  hand(b, a);
  const sender = a.createDataChannel('precall', { ordered: true });
  sender.binaryType = 'arraybuffer';
  let receiver: RTCDataChannel | undefined;
  let received = 0;
  let lastByteAt = 0;
  const pongs = new Map<number, () => void>();
  b.addEventListener('datachannel', ({ channel }) => {
    receiver = channel;
    channel.binaryType = 'arraybuffer';
    channel.onmessage = ({ data }) => {
      if (typeof data === 'string') {
        if (channel.readyState === 'open') channel.send(data); // pong
      } else {
        received += (data as ArrayBuffer).byteLength;
        lastByteAt = performance.now();
      }
    };
  });
  sender.onmessage = ({ data }) => {
    if (typeof data === 'string') pongs.get(Number(data.slice(5)))?.();
  };
  await abortable(a.setLocalDescription(), signal);
  await abortable(b.setRemoteDescription(a.localDescription!), signal);
  await abortable(b.setLocalDescription(), signal);
  await abortable(a.setRemoteDescription(b.localDescription!), signal);
  // When Firefox offers, the other side's channel may arrive already open (no open event).
  const isOpen = () => sender.readyState === 'open' && receiver?.readyState === 'open';
  await abortable(
    until(() => isOpen() || hopeless(), RELAY_CONNECT_TIMEOUT_MS, sender, ['open']),
    signal,
  );
  if (!isOpen() && hopeless()) {
    result.error = 'the relay gave no address';
    return result;
  }
  if (!isOpen()) {
    result.errorCode = a.connectionState === 'failed' || b.connectionState === 'failed' ? 'failed' : 'timeout';
    result.error = result.errorCode === 'failed' ? 'the relayed connection failed' : 'the relayed connection did not open in time';
    return result;
  }
  result.connected = true;
  result.relayProtocol = await relayProtocolOf(a);

  const rtts: number[] = [];
  for (let i = 0; i < PINGS; i++) {
    const sentAt = performance.now();
    const ok = await abortable(
      within(
        new Promise<boolean>((resolve) => {
          pongs.set(i, () => resolve(true));
          sender.send(`ping:${i}`);
        }),
        PING_TIMEOUT_MS,
        () => false,
      ),
      signal,
    );
    pongs.delete(i);
    if (ok) rtts.push(performance.now() - sentAt);
  }
  result.rttMs = median(rtts);

  // Throughput: `bytes` in 16 KiB messages, pausing while more than 1 MiB waits to be sent.
  const chunk = new Uint8Array(CHUNK);
  sender.bufferedAmountLowThreshold = 256 * 1024;
  const start = performance.now();
  let sent = 0;
  const deadline = start + THROUGHPUT_TIMEOUT_MS;
  while (sent < bytes && performance.now() < deadline && sender.readyState === 'open') {
    if (sender.bufferedAmount > 1024 * 1024) {
      await abortable(
        until(() => sender.bufferedAmount <= 256 * 1024 || sender.readyState !== 'open', deadline - performance.now(), sender, ['bufferedamountlow']),
        signal,
      );
      continue;
    }
    const n = Math.min(CHUNK, bytes - sent);
    sender.send(n === CHUNK ? chunk : chunk.subarray(0, n));
    sent += n;
  }
  await abortable(
    until(() => received >= sent, Math.max(0, deadline - performance.now()), sender, ['bufferedamountlow']),
    signal,
  );
  result.bytes = received;
  const elapsed = (received >= sent ? lastByteAt : performance.now()) - start;
  result.throughputBytesPerSecond = received > 0 && elapsed > 0 ? Math.round((received / elapsed) * 1000) : null;
  return result;
}

async function relayProtocolOf(pc: RTCPeerConnection): Promise<string | undefined> {
  try {
    type Stat = {
      id: string;
      type: string;
      selected?: boolean;
      nominated?: boolean;
      state?: string;
      selectedCandidatePairId?: string;
      localCandidateId?: string;
      relayProtocol?: string;
    };
    const stats = (await pc.getStats()) as unknown as Map<string, Stat>;
    let pair: Stat | undefined;
    stats.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
    });
    // Firefox has no transport stats: its selected pair says so itself.
    if (!pair) stats.forEach((s) => void (s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded')) && (pair ??= s)));
    const local = pair?.localCandidateId ? stats.get(pair.localCandidateId) : undefined;
    return local?.relayProtocol ?? undefined;
  } catch {
    return undefined;
  }
}

const VERDICT_TEXT: Record<NetworkVerdict, string> = {
  direct: 'Direct connection possible',
  relay: 'Needs the TURN relay (works)',
  'turn-failed': 'TURN unreachable or wrong credentials',
  blocked: 'Blocked',
};

export function classify(
  n: Pick<NetworkResult, 'candidates' | 'turnConfigured' | 'relay' | 'errors' | 'turnAuthFailed'>,
  policy: RTCIceTransportPolicy,
  stun: boolean,
): { verdict: NetworkVerdict; verdictText: string } {
  const c = n.candidates;
  const relayWorks = !!n.relay?.connected;
  // With a STUN (or TURN) server to ask, a direct path across networks needs a public address
  // (srflx); without one, only host candidates can be judged.
  const direct = policy !== 'relay' && (c.srflx > 0 || (c.host > 0 && !stun));
  let verdict: NetworkVerdict;
  if (relayWorks) verdict = direct ? 'direct' : 'relay';
  else if (n.turnConfigured) verdict = direct || c.host > 0 || c.relay > 0 || n.errors.length > 0 ? 'turn-failed' : 'blocked';
  else verdict = direct || c.host > 0 ? 'direct' : 'blocked';
  let text = VERDICT_TEXT[verdict];
  if (verdict === 'turn-failed')
    text = n.turnAuthFailed
      ? 'TURN refused the credentials (wrong secret?)'
      : c.relay > 0
        ? 'TURN relay does not carry data'
        : 'TURN unreachable or wrong credentials';
  return { verdict, verdictText: text };
}

function explain(
  n: NetworkResult,
  policy: RTCIceTransportPolicy,
  stun: boolean,
): { status: PrecallStatus; code: PrecallCode; params?: PrecallParams; message: string } {
  const rtt = n.relay?.rttMs != null ? `${Math.round(n.relay.rttMs)} ms` : null;
  const rate = n.relay?.throughputBytesPerSecond != null ? formatRate(n.relay.throughputBytesPerSecond) : null;
  const measured = rtt ? ` Through the relay: ${rtt} round trip${rate ? `, ${rate}` : ''}.` : '';
  // The figures a message names, as numbers (an element formats them in its language).
  const figures: PrecallParams = {};
  if (n.relay?.rttMs != null) figures.rttMs = n.relay.rttMs;
  if (n.relay?.throughputBytesPerSecond != null) figures.throughputBytesPerSecond = n.relay.throughputBytesPerSecond;
  switch (n.verdict) {
    case 'direct':
      if (n.relay?.connected)
        return {
          status: 'pass',
          code: 'direct-and-relay',
          params: figures,
          message: `Direct connections are possible, and the relay (TURN) server works for networks that block them.${measured}`,
        };
      if (!n.turnConfigured && n.candidates.srflx === 0 && stun)
        return {
          status: 'warn',
          code: 'direct-local-only',
          message: 'Only devices on this network can be reached directly (no public address was found), and this call has no relay (TURN) server.',
        };
      return {
        status: 'pass',
        code: 'direct',
        params: { turn: n.turnConfigured },
        message: `Direct connections are possible.${n.turnConfigured ? '' : ' This call has no relay (TURN) server: people on strict networks may not be able to connect.'}`,
      };
    case 'relay':
      return {
        status: 'pass',
        code: policy === 'relay' ? 'relay-only' : 'relay-needed',
        params: figures,
        message: `${policy === 'relay' ? 'Calls go through the relay (TURN) server' : 'A direct connection is unlikely from this network, but the relay (TURN) server works'}.${measured}`,
      };
    case 'turn-failed': {
      if (n.turnAuthFailed)
        return {
          status: 'fail',
          code: 'turn-refused',
          message:
            'The relay (TURN) server refused our credentials: the call server and the relay do not share the same secret. Ask the site owner to check TURN_SECRET.',
        };
      const directMayWork = n.candidates.host + n.candidates.srflx > 0 && policy !== 'relay';
      const params: PrecallParams = { directMayWork };
      if (n.relay?.errorCode) params.relayError = n.relay.errorCode;
      return {
        status: 'fail',
        code: 'turn-unreachable',
        params,
        message: `The relay (TURN) server cannot be reached${n.relay?.error ? ` (${n.relay.error})` : ''}.${directMayWork ? ' Direct connections may still work, but not from strict networks.' : ''}`,
      };
    }
    case 'blocked':
      return {
        status: 'fail',
        code: 'blocked',
        message: 'No connection is possible from this network: a firewall or proxy may block calls. Try another network.',
      };
  }
}

export function formatRate(bytesPerSecond: number): string {
  const mbit = (bytesPerSecond * 8) / 1e6;
  return `${mbit >= 10 ? Math.round(mbit) : mbit.toFixed(1)} Mbit/s`;
}

export async function checkNetwork(options: PrecallCheckOptions, res: Resources, signal?: AbortSignal): Promise<StepOutcome<NetworkResult>> {
  const policy = options.iceTransportPolicy ?? 'all';
  let fromServer: RTCIceServer[] | null = null;
  let serverError: string | undefined;
  try {
    fromServer = await serverIceServers(options, res, signal);
  } catch (err) {
    if (signal?.aborted) throw err;
    serverError = 'Could not reach the call server, so no call can start from here. Check your connection, or try again later.';
  }
  const iceServers = [...(fromServer ?? []), ...(options.iceServers ?? [])];
  const errors: IceErrorInfo[] = [];
  const turnConfigured = hasTurnServer(iceServers);
  // The relay is tried beside the gathering, not after it: a relay that never answers costs one
  // wait, not two. Once the gathering has finished without a relay address (TURN refused us, or
  // gave nothing), or every TURN URL has refused our credentials (a busy browser may take longer
  // than the gathering's own wait to finish it), the relayed connection cannot open either.
  let noRelay = false;
  const turnCount = turnUrls(iceServers).length;
  const allRefused = () => new Set(errors.filter((e) => e.errorCode === 401).map((e) => e.url)).size >= turnCount;
  const hopeless = () => noRelay || allRefused();
  const relaying = turnConfigured ? relayLoopback(iceServers, options.throughputBytes ?? 1_000_000, res, errors, hopeless, signal) : Promise.resolve(null);
  relaying.catch(() => undefined); // a stop is reported by the gathering's await, or below
  const { counts: candidates, complete } = await gather({ iceServers, iceTransportPolicy: policy }, res, errors, signal);
  noRelay = complete && candidates.relay === 0;
  const relay = await relaying;
  const turnAuthFailed = errors.some((e) => e.errorCode === 401);
  const stun = hasStunServer(iceServers);
  const partial = { candidates, turnConfigured, relay, errors, turnAuthFailed };
  const details: NetworkResult = {
    iceServersFrom: fromServer ? 'server' : 'options',
    iceServers,
    ...partial,
    ...classify(partial, policy, stun),
  };
  if (serverError) return { status: 'fail', code: 'server-unreachable', message: serverError, details };
  return { ...explain(details, policy, stun), details };
}
