import { CHANNEL_IDS } from '../data/wire.js';

/** A link's own data channels: `control` for signals and state, chat and file data on channels of their own. */
export interface LinkChannels {
  control: RTCDataChannel;
  chat: RTCDataChannel;
  files: RTCDataChannel;
}

/**
 * Negotiated with fixed ids on both sides (docs/protocol.md §10): no in-band announcement, no
 * "already open" race; and a transfer never holds up a chat message or a signal.
 */
export function createLinkChannels(pc: RTCPeerConnection): LinkChannels {
  return {
    control: pc.createDataChannel('control', { negotiated: true, id: 0, ordered: true }),
    chat: pc.createDataChannel('chat', { negotiated: true, id: CHANNEL_IDS.chat, ordered: true }),
    files: pc.createDataChannel('files', { negotiated: true, id: CHANNEL_IDS.files, ordered: true }),
  };
}
