/**
 * The presenter → viewer media path of a broadcast room, behind one interface (docs/protocol.md
 * §13, Broadcast rooms). Today it is the mesh: every presenter keeps one peer connection per viewer
 * and encodes one stream per viewer, each capped at a per-viewer bitrate, so a presenter's upload
 * grows with the audience (viewers × per-viewer bitrate). Larger audiences will go through an SFU
 * instead: an `AudiencePath` whose `connects(viewer ↔ presenter)` is false and which carries the
 * media itself; the session asks only this interface who connects to whom and what each link may send.
 */
import type { Role } from '../signaling/protocol.js';

export interface AudiencePath {
  /** A name for diagnostics ('mesh'). */
  readonly kind: string;
  /**
   * Whether a member with role `self` keeps a peer connection to a member with role `peer`
   * (symmetric). Never true between two viewers: the server refuses their signals anyway.
   */
  connects(self: Role, peer: Role): boolean;
  /**
   * The most (bits/s) our video may use on the link to a member with role `peer`, beside the
   * upload budget's even split and the receiver's view; undefined: no cap of its own.
   */
  linkCap(self: Role, peer: Role): number | undefined;
}

/** What a presenter sends each viewer at most, by default (bits/s): a 640×360 picture at 15–30 fps. */
export const DEFAULT_VIEWER_BITRATE = 500_000;

export interface MeshFanoutOptions {
  /** The cap per viewer link (bits/s); default DEFAULT_VIEWER_BITRATE. */
  viewerBitrate?: number;
}

const onStage = (role: Role) => role !== 'viewer';

/** The mesh as the audience path: presenters connect to everyone, viewers only to presenters. */
export function meshFanout({ viewerBitrate = DEFAULT_VIEWER_BITRATE }: MeshFanoutOptions = {}): AudiencePath {
  return {
    kind: 'mesh',
    connects: (self, peer) => onStage(self) || onStage(peer),
    linkCap: (self, peer) => (onStage(self) && !onStage(peer) ? viewerBitrate : undefined),
  };
}
