import { waitFor } from './wait.js';

type Inbound = RTCInboundRtpStreamStats & { framesDecoded?: number; totalAudioEnergy?: number; totalSamplesReceived?: number };

/** Inbound RTP stats of one kind, summed over streams. */
export async function inbound(pc: RTCPeerConnection, kind: 'audio' | 'video'): Promise<{ frames: number; packets: number; energy: number; samples: number }> {
  const out = { frames: 0, packets: 0, energy: 0, samples: 0 };
  (await pc.getStats()).forEach((s: Inbound) => {
    if (s.type !== 'inbound-rtp' || s.kind !== kind) return;
    out.frames += s.framesDecoded ?? 0;
    out.packets += s.packetsReceived ?? 0;
    out.energy += s.totalAudioEnergy ?? 0;
    out.samples += s.totalSamplesReceived ?? 0;
  });
  return out;
}

/** Wait until `pc` decodes more video frames than it had, `more` of them. */
export async function waitForFrames(pc: RTCPeerConnection, more = 5, timeout = 20000): Promise<number> {
  const start = (await inbound(pc, 'video')).frames;
  return waitFor(
    async () => {
      const f = (await inbound(pc, 'video')).frames;
      return f >= start + more ? f : 0;
    },
    `${more} more decoded video frames`,
    timeout,
  );
}

/**
 * Wait until `pc` receives audio packets. With `played`, also require decoded samples: browsers
 * decode remote audio only while an element plays it.
 */
export async function waitForAudio(pc: RTCPeerConnection, { played = false, timeout = 20000 } = {}): Promise<void> {
  const start = await inbound(pc, 'audio');
  await waitFor(
    async () => {
      const a = await inbound(pc, 'audio');
      return a.packets > start.packets + 10 && (!played || a.samples > start.samples);
    },
    played ? 'played audio samples' : 'audio packets',
    timeout,
  );
}
