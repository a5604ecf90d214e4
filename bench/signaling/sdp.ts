/**
 * An offer the size a browser sends (audio, video with its usual codec list, a data channel; no
 * candidates, they trickle): ~5 KB (5.2 KB of SDP, 5.6 KB as JSON). The signal's sequence number rides in the `o=` line's session
 * id, the one place of an SDP that is an arbitrary number, so that both relays (which strip or
 * pass nothing else) deliver it and the receiver can find when it was sent.
 */

/** The ICE and DTLS lines every media section of a bundled offer repeats. */
const TRANSPORT = [
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Xk9f',
  'a=ice-pwd:0eBBxC4bT3Cj6PNdPc2ozWTU',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 5B:2A:3C:8E:91:0F:47:AD:6C:11:FE:93:2D:84:7A:C0:55:E2:19:3B:A8:64:0D:7F:C9:21:36:BE:48:9A:F1:07',
  'a=setup:actpass',
];

const VIDEO_CODECS: [number, string, number | undefined][] = [
  [96, 'VP8/90000', 97],
  [98, 'VP9/90000', 99],
  [100, 'VP9/90000', 101],
  [102, 'H264/90000', 103],
  [104, 'H264/90000', 105],
  [106, 'H264/90000', 107],
  [108, 'H264/90000', 109],
  [127, 'H264/90000', 125],
  [45, 'AV1/90000', 46],
  [114, 'red/90000', 115],
  [116, 'ulpfec/90000', undefined],
];

const FMTP: Record<number, string> = {
  98: 'profile-id=0',
  100: 'profile-id=2',
  102: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  104: 'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f',
  106: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  108: 'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f',
  127: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f',
  45: 'level-idx=5;profile=0;tier=0',
};

function video(): string[] {
  const pts = VIDEO_CODECS.flatMap(([pt, , rtx]) => (rtx === undefined ? [pt] : [pt, rtx]));
  const lines = [
    `m=video 9 UDP/TLS/RTP/SAVPF ${pts.join(' ')}`,
    ...TRANSPORT,
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=mid:1',
    'a=extmap:14 urn:ietf:params:rtp-hdrext:toffset',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:13 urn:3gpp:video-orientation',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
    'a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type',
    'a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing',
    'a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
    'a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
    'a=sendrecv',
    'a=msid:5Yt0qGZ1f7kOa3JbY2r6nQ 3c2d8a41-7f0e-4b6a-9d35-0e8f6c1b2a77',
    'a=rtcp-mux',
    'a=rtcp-rsize',
  ];
  for (const [pt, codec, rtx] of VIDEO_CODECS) {
    lines.push(`a=rtpmap:${pt} ${codec}`);
    if (!codec.startsWith('red') && !codec.startsWith('ulpfec')) {
      lines.push(`a=rtcp-fb:${pt} goog-remb`, `a=rtcp-fb:${pt} transport-cc`, `a=rtcp-fb:${pt} ccm fir`, `a=rtcp-fb:${pt} nack`, `a=rtcp-fb:${pt} nack pli`);
    }
    if (FMTP[pt]) lines.push(`a=fmtp:${pt} ${FMTP[pt]}`);
    if (rtx !== undefined) lines.push(`a=rtpmap:${rtx} rtx/90000`, `a=fmtp:${rtx} apt=${pt}`);
  }
  lines.push('a=ssrc-group:FID 2786374932 1903871823');
  for (const ssrc of [2786374932, 1903871823]) {
    lines.push(`a=ssrc:${ssrc} cname:p3bS0vJ6cQxS9k2T`, `a=ssrc:${ssrc} msid:5Yt0qGZ1f7kOa3JbY2r6nQ 3c2d8a41-7f0e-4b6a-9d35-0e8f6c1b2a77`);
  }
  return lines;
}

const AUDIO = [
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  ...TRANSPORT,
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=sendrecv',
  'a=msid:5Yt0qGZ1f7kOa3JbY2r6nQ 9a1f3e2b-6c4d-4e8f-a7b0-1d2c3e4f5a6b',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:3462123407 cname:p3bS0vJ6cQxS9k2T',
  'a=ssrc:3462123407 msid:5Yt0qGZ1f7kOa3JbY2r6nQ 9a1f3e2b-6c4d-4e8f-a7b0-1d2c3e4f5a6b',
];

const DATA = ['m=application 9 UDP/DTLS/SCTP webrtc-datachannel', ...TRANSPORT, 'a=mid:2', 'a=sctp-port:5000', 'a=max-message-size:262144'];

// Everything after the o= line is the same for every offer: built once.
const BODY = ['s=-', 't=0 0', 'a=group:BUNDLE 0 1 2', 'a=extmap-allow-mixed', 'a=msid-semantic: WMS 5Yt0qGZ1f7kOa3JbY2r6nQ', ...AUDIO, ...video(), ...DATA]
  .map((l) => `${l}\r\n`)
  .join('');

/** The offer numbered `seq` (a non-negative integer). */
export function offerSdp(seq: number): string {
  return `v=0\r\no=- ${seq} 2 IN IP4 127.0.0.1\r\n${BODY}`;
}

/** The number `offerSdp` put in, or -1 for anything else. */
export function offerSeq(sdp: unknown): number {
  if (typeof sdp !== 'string' || !sdp.startsWith('v=0\r\no=- ')) return -1;
  const end = sdp.indexOf(' ', 9);
  const n = end > 9 ? Number(sdp.slice(9, end)) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : -1;
}

// The offer after its number, escaped for JSON once.
const ESCAPED_TAIL = JSON.stringify(` 2 IN IP4 127.0.0.1\r\n${BODY}`).slice(1, -1);

/**
 * The socket.io packet of `signal {to, data: {description: offer seq}}` (an event in the default
 * namespace, no ack) as text, what `socket.emit('signal', …)` would encode: the load generator
 * writes it to the engine directly, so that it does not spend ~50 µs re-serialising every offer.
 */
export function signalFrame(to: string, seq: number): string {
  return `2["signal",{"to":${JSON.stringify(to)},"data":{"description":{"type":"offer","sdp":"v=0\\r\\no=- ${seq}${ESCAPED_TAIL}"}}}]`;
}
