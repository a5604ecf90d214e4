/** rtc-widgets core: framework-free call engine (no lit, no DOM UI). */
export { RtcSession } from './session.js';
export type { Participant, RtcSessionOptions, SessionEvents, SessionStatus } from './session.js';
export { LocalMedia } from './media/local-media.js';
export type { LocalMediaState, MediaRequest } from './media/local-media.js';
export { PeerLink } from './peer/peer-link.js';
export type { ControlMessage, DataChannels, PeerLinkState } from './peer/peer-link.js';
export { Chat } from './data/chat.js';
export type { ChatEvents, ChatMessage, ChatOptions, DataHost } from './data/chat.js';
export { FileTransfers } from './data/file-transfer.js';
export type { FileTransferEvents, FileTransfersOptions, Transfer, TransferState } from './data/file-transfer.js';
export { CHANNEL_IDS, DATA_LIMITS, P2P_VERSION, sanitizeFileName } from './data/wire.js';
export { RtcError, mediaError } from './errors.js';
export type { MediaKind, RtcErrorCode } from './errors.js';
export { SocketIoTransport } from './signaling/socket-io-transport.js';
export { LoopbackHub, LoopbackTransport } from './signaling/loopback-transport.js';
export type { SignalingTransport, TransportEvents } from './signaling/transport.js';
export * from './signaling/protocol.js';
export type { ReadableStore } from './state/store.js';
