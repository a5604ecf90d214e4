/**
 * A peer connection made while the pre-join step is open, for the first link a newcomer offers
 * on: transceivers and channels added and the offer set as local description, its candidates
 * gathered meanwhile. On the join reply the link only sends that offer, the candidates gathered
 * by then in its SDP: making the connection and its offer otherwise blocks the page for tens of
 * ms right when the call view renders.
 *
 * An offer names nobody (which side is polite comes from the ids), so it fits whichever peer the
 * reply lists first. It has PeerLink.start()'s transceivers and channels, though always through
 * addTransceiver (start() uses addTrack so that a rolled-back first offer leaves none over; a
 * spare's crossed first offer is answered from a new connection instead, see Mesh), and is kept
 * only while the ICE credentials it gathered with are fresh (the session then makes another).
 */
import type { MediaKind } from '../errors.js';
import { createLinkChannels, type LinkChannels } from './channels.js';

export interface SpareTracks {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  stream: MediaStream;
}

/** What a configuration connects through, credentials aside (those are renewed, the servers stay). */
export function iceRoute(config: RTCConfiguration): string {
  return JSON.stringify([config.iceTransportPolicy ?? 'all', (config.iceServers ?? []).map((s) => s.urls)]);
}

export class SpareConnection {
  readonly pc: RTCPeerConnection;
  readonly senders = {} as Record<MediaKind, RTCRtpSender>;
  readonly channels: LinkChannels;
  readonly stream: MediaStream;
  /** Settles once the offer is our local description (or making it failed: then never usable). */
  readonly ready: Promise<void>;
  readonly #route: string;
  /** performance.now() when its ICE credentials stop being fresh enough (Infinity: never). */
  readonly until: number;
  #candidates: (RTCIceCandidate | null)[] = [];
  #offered = false;
  #closed = false;

  /** `freshMs`: how long its ICE credentials stay good enough to connect with. */
  constructor(configuration: RTCConfiguration, tracks: SpareTracks, freshMs: number) {
    this.#route = iceRoute(configuration);
    this.until = performance.now() + freshMs;
    this.stream = tracks.stream;
    const pc = (this.pc = new RTCPeerConnection(configuration));
    pc.onicecandidate = ({ candidate }) => this.#candidates.push(candidate);
    // As PeerLink.start(): both kinds sendrecv whether or not a device is on (turning one on later
    // is a replaceTrack), then the link's channels.
    for (const kind of ['audio', 'video'] as const) {
      this.senders[kind] = pc.addTransceiver(tracks[kind] ?? kind, { direction: 'sendrecv', streams: [tracks.stream] }).sender;
    }
    this.channels = createLinkChannels(pc);
    this.ready = pc.setLocalDescription().then(
      () => void (this.#offered = true),
      () => this.close(),
    );
  }

  /** Whether a link may take it now: its offer made, nothing else done with it, its credentials fresh, for this route and stream. */
  usableFor(configuration: RTCConfiguration, stream: MediaStream): boolean {
    return (
      this.#offered &&
      !this.#closed &&
      this.pc.signalingState === 'have-local-offer' &&
      performance.now() < this.until &&
      iceRoute(configuration) === this.#route &&
      stream === this.stream
    );
  }

  /** The candidates gathered so far (a null one ends them); later ones go to `onCandidate`. */
  handOver(onCandidate: (candidate: RTCIceCandidate | null) => void): (RTCIceCandidate | null)[] {
    const gathered = this.#candidates;
    this.#candidates = [];
    this.pc.onicecandidate = ({ candidate }) => onCandidate(candidate);
    return gathered;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.pc.close();
  }
}

/** A session's one spare: made when the join is prepared, taken by the join's first offering link, else dropped. */
export class SpareSlot {
  #spare?: SpareConnection;

  /** Make one unless there is one; settles when its offer is ready. Never rejects (a refused configuration: no spare). */
  make(configuration: RTCConfiguration, tracks: SpareTracks, freshMs: number): Promise<void> {
    if (this.#spare || typeof RTCPeerConnection === 'undefined') return this.#spare?.ready ?? Promise.resolve();
    try {
      this.#spare = new SpareConnection(configuration, tracks, freshMs);
    } catch {
      return Promise.resolve(); // join() makes its connections (and reports) as usual
    }
    return this.#spare.ready;
  }

  /** The spare if it suits a link with this configuration and stream now; asked once (an unsuitable one is closed). */
  take(configuration: RTCConfiguration, stream: MediaStream): SpareConnection | undefined {
    const spare = this.#spare;
    this.#spare = undefined;
    if (spare?.usableFor(configuration, stream)) return spare;
    spare?.close();
    return undefined;
  }

  /** How long the spare stays usable, in ms (0: there is none; Infinity: for good). */
  freshFor(): number {
    return this.#spare ? Math.max(0, this.#spare.until - performance.now()) : 0;
  }

  drop(): void {
    this.#spare?.close();
    this.#spare = undefined;
  }
}
