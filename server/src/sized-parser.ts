/**
 * socket.io's own parser, whose decoder notes the size in which each event's payload arrived (the
 * UTF-8 bytes of its text frame, less the packet's header and event name) against the payload
 * object: the `signal` size limit then needs no second serialisation of what the client sent (a
 * 6 KB offer, full of escaped line breaks, takes ~50 µs to stringify: more than validating it).
 */
import { Decoder, Encoder, PacketType, protocol, type Packet } from 'socket.io-parser';

const sizes = new WeakMap<object, number>();

/** The size `payload` arrived in, in bytes, when it came in a text frame of its own; else undefined. */
export function receivedBytes(payload: unknown): number | undefined {
  return payload !== null && typeof payload === 'object' ? sizes.get(payload) : undefined;
}

class SizedDecoder extends Decoder {
  /** The UTF-8 size of the text frame being decoded; -1 for a binary one. */
  #frameBytes = -1;

  constructor(...args: ConstructorParameters<typeof Decoder>) {
    super(...args);
    // Registered before socket.io's own listener (added once the decoder exists), so it runs first.
    this.on('decoded', (packet: Packet) => {
      const bytes = this.#frameBytes;
      this.#frameBytes = -1;
      if (bytes < 0 || packet.type !== PacketType.EVENT || !Array.isArray(packet.data) || packet.data.length !== 2) return;
      const [name, payload] = packet.data as unknown[];
      if (typeof name !== 'string' || payload === null || typeof payload !== 'object') return;
      // The frame is <type>[<nsp>,][<ack id>]["<name>",<payload>]
      const header = 1 + (packet.nsp !== '/' ? Buffer.byteLength(packet.nsp) + 1 : 0) + (packet.id !== undefined ? String(packet.id).length : 0);
      sizes.set(payload, bytes - header - Buffer.byteLength(JSON.stringify(name)) - 3);
    });
  }

  override add(chunk: unknown): void {
    this.#frameBytes = typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf8') : -1;
    super.add(chunk);
  }
}

/** For `new Server(…, { parser: sizedParser })`: the default wire format, unchanged. */
export const sizedParser = { protocol, PacketType, Encoder, Decoder: SizedDecoder };
