import type { RtcErrorCode } from '../errors.js';
import type { SignalingTransport } from '../signaling/transport.js';

export type PrecallStepId = 'camera' | 'microphone' | 'speaker' | 'network';

/** 'warn': works with a caveat (e.g. a silent microphone, no speaker choice); 'skipped': not asked for. */
export type PrecallStatus = 'pending' | 'running' | 'pass' | 'warn' | 'fail' | 'skipped';

export interface PrecallStep {
  id: PrecallStepId;
  /** 'Camera', 'Microphone', 'Speaker', 'Network'. */
  label: string;
  status: PrecallStatus;
  /** What was found, in plain English (and what to do about it): for logs and API users. */
  message: string;
  /** What was found, as a stable code: an element words it in its own language (with `params`). */
  code: PrecallCode;
  /** The figures the message names (only those of its code). */
  params?: PrecallParams;
}

/**
 * What a step found. Camera and microphone: 'no-media-devices' (the page cannot ask for devices:
 * not https), 'device-error' (the device did not open: `params.error`), 'camera-no-frames',
 * 'camera-works' (`width`, `height`), 'microphone-silent', 'microphone-works'. Speaker:
 * 'speakers-choose' (`outputs`), 'speaker-works', 'speaker-default' (no choice). Network:
 * 'server-unreachable', 'direct-and-relay' (relay figures), 'direct-local-only' (no public address,
 * no relay), 'direct' (`turn`: a relay is configured), 'relay-only' (policy 'relay'; figures),
 * 'relay-needed' (figures), 'turn-refused', 'turn-unreachable' (`relayError`, `directMayWork`),
 * 'blocked'. Any step: 'not-tested' (skipped), 'not-tested-yet', 'running', 'unexpected' (`detail`).
 */
export type PrecallCode =
  | 'not-tested'
  | 'not-tested-yet'
  | 'running'
  | 'unexpected'
  | 'no-media-devices'
  | 'device-error'
  | 'camera-no-frames'
  | 'camera-works'
  | 'microphone-silent'
  | 'microphone-works'
  | 'speakers-choose'
  | 'speaker-works'
  | 'speaker-default'
  | 'server-unreachable'
  | 'direct-and-relay'
  | 'direct-local-only'
  | 'direct'
  | 'relay-only'
  | 'relay-needed'
  | 'turn-refused'
  | 'turn-unreachable'
  | 'blocked';

/** Why the relayed loopback did not connect: its connection failed, or it did not open in time. */
export type RelayErrorCode = 'failed' | 'timeout';

export interface PrecallParams {
  /** 'camera-works': the picture's size (0 when unknown). */
  width?: number;
  height?: number;
  /** 'speakers-choose': how many speakers the browser lists. */
  outputs?: number;
  /** 'device-error': the RtcError code of the device that did not open. */
  error?: RtcErrorCode;
  /** Relay figures (when measured): median round trip (ms) and throughput (bytes per second). */
  rttMs?: number;
  throughputBytesPerSecond?: number;
  /** 'direct': a relay (TURN) server is configured. */
  turn?: boolean;
  /** 'turn-unreachable': why the relay did not connect, when known. */
  relayError?: RelayErrorCode;
  /** 'turn-unreachable': direct connections may still work (but not from strict networks). */
  directMayWork?: boolean;
  /** 'unexpected': the thrown error's own message (as thrown, not translated). */
  detail?: string;
}

/**
 * 'direct': peers can connect directly (host or server-reflexive candidates; the relay is not
 * needed, and works too when there is one). 'relay': only through the TURN relay, which works.
 * 'turn-failed': a TURN server is configured but unreachable or refuses our credentials.
 * 'blocked': nothing works.
 */
export type NetworkVerdict = 'direct' | 'relay' | 'turn-failed' | 'blocked';

export interface CandidateCounts {
  host: number;
  srflx: number;
  prflx: number;
  relay: number;
}

/** An `icecandidateerror`: 401 = wrong TURN credentials, 701 = server unreachable (browser-specific). */
export interface IceErrorInfo {
  url: string;
  errorCode: number;
  errorText: string;
}

/** Two peer connections in this page, relay-only, connected to each other through TURN. */
export interface RelayLoopbackResult {
  connected: boolean;
  /** Median data channel round trip (ping/pong) through the relay, ms. */
  rttMs: number | null;
  /** Bytes per second sent through the relay and received (partial if the time ran out). */
  throughputBytesPerSecond: number | null;
  /** Bytes that arrived in the throughput test. */
  bytes: number;
  /** The relay transport of the selected pair ('udp', 'tcp', 'tls'), when the browser says. */
  relayProtocol?: string;
  /** Why it did not connect (English). */
  error?: string;
  /** Why it did not connect, as a code. */
  errorCode?: RelayErrorCode;
}

export interface NetworkResult {
  /** Where the ICE servers came from: the signaling server (with any given ones), or only the options. */
  iceServersFrom: 'server' | 'options';
  /** The ICE servers used (credentials included: do not log them). */
  iceServers: RTCIceServer[];
  turnConfigured: boolean;
  /** Local candidates gathered with the ICE servers (iceTransportPolicy as given). */
  candidates: CandidateCounts;
  errors: IceErrorInfo[];
  /** A TURN server refused our credentials (icecandidateerror 401). */
  turnAuthFailed: boolean;
  /** null when there is no TURN server to test. */
  relay: RelayLoopbackResult | null;
  verdict: NetworkVerdict;
  /** The verdict in words: "Direct connection possible", "Needs the TURN relay (works)", … */
  verdictText: string;
}

export interface CameraResult {
  width: number;
  height: number;
  /** Frames seen while checking. */
  frames: number;
  label: string;
}

export interface MicrophoneResult {
  /** Loudest RMS level heard (0..1), and the same in dBFS. */
  peakLevel: number;
  peakDb: number;
  label: string;
}

export interface SpeakerResult {
  /** The page can send sound to a chosen speaker (setSinkId). */
  selectable: boolean;
  /** Speakers the browser lists (some list none until asked). */
  outputs: number;
}

export interface PrecallResult {
  /** camera, microphone, speaker, network: always in this order. */
  steps: PrecallStep[];
  camera: CameraResult | null;
  microphone: MicrophoneResult | null;
  speaker: SpeakerResult | null;
  network: NetworkResult | null;
  /** Every step has finished. */
  done: boolean;
  /** Done, and no step failed. */
  ok: boolean;
  durationMs: number;
}

export interface PrecallCheckOptions {
  /** Signaling server URL to get ICE servers (fresh TURN credentials) from; a short-lived connection. */
  server?: string;
  /** Or a transport already connected (its `iceServers()` is asked; it is not closed). */
  transport?: Pick<SignalingTransport, 'iceServers'>;
  /** ICE servers added to the server's (or the only ones, without a server). */
  iceServers?: RTCIceServer[];
  /** As the call will use it; 'relay' tests only the relay. Default 'all'. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Camera to test: false skips it, a string is a deviceId; default the default camera. */
  camera?: boolean | string;
  /** Microphone to test, likewise. */
  microphone?: boolean | string;
  /** Skip the network step. */
  network?: boolean;
  /** Bytes sent through the relay for the throughput (default 1 MB). */
  throughputBytes?: number;
  /** Stops the check: everything it opened is released and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called with a copy of the result whenever a step starts or ends. */
  onProgress?: (result: PrecallResult) => void;
}
