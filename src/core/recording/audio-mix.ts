/**
 * Everyone's sound in one track for the recording: each audio track → a MediaStreamAudioSourceNode
 * → one MediaStreamAudioDestinationNode. Tracks come and go with the people (and with a switched
 * microphone); sync() is cheap and called on every frame. A muted microphone is a disabled track,
 * which Web Audio reads as silence: nothing to do for mute.
 */
export class AudioMix {
  readonly context: AudioContext;
  /** The mixed sound (one audio track); silence while nobody has a microphone. */
  readonly stream: MediaStream;
  readonly #destination: MediaStreamAudioDestinationNode;
  readonly #sources = new Map<MediaStreamTrack, MediaStreamAudioSourceNode>();
  /** Tracks Web Audio refused: not tried again on every frame. */
  readonly #refused = new WeakSet<MediaStreamTrack>();

  constructor() {
    this.context = new AudioContext();
    this.#destination = this.context.createMediaStreamDestination();
    this.stream = this.#destination.stream;
    // Started from a click (Record) it may run at once; otherwise it runs once the page may play sound.
    void this.context.resume().catch(() => undefined);
  }

  /** Mix exactly these tracks (ended ones are left out). */
  sync(tracks: readonly MediaStreamTrack[]): void {
    const want = new Set(tracks.filter((t) => t.kind === 'audio' && t.readyState === 'live'));
    for (const [track, node] of this.#sources) {
      if (want.has(track)) continue;
      node.disconnect();
      this.#sources.delete(track);
    }
    for (const track of want) {
      if (this.#sources.has(track) || this.#refused.has(track)) continue;
      try {
        const node = this.context.createMediaStreamSource(new MediaStream([track]));
        node.connect(this.#destination);
        this.#sources.set(track, node);
      } catch {
        this.#refused.add(track);
        // A track Web Audio cannot read (e.g. from another origin): left out, the rest is recorded.
      }
    }
  }

  /** Disconnect everything, end the mixed track and close the context. */
  async close(): Promise<void> {
    for (const node of this.#sources.values()) node.disconnect();
    this.#sources.clear();
    this.#destination.disconnect();
    for (const t of this.stream.getTracks()) t.stop();
    if (this.context.state !== 'closed') await this.context.close().catch(() => undefined);
  }
}
