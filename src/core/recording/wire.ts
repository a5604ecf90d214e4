/**
 * P2P 1.8 (docs/protocol.md §10): `recording`, on the `control` channel. The sender says whether
 * it is recording the call now, so that everyone can see it; sent when it changes and whenever a
 * control channel opens. A boolean and nothing else: nothing to bound beyond the schema.
 */
import * as v from 'valibot';

export const RecordingMessageSchema = v.object({
  type: v.literal('recording'),
  /** The sender records the call (all of it, or one participant) on its own device now. */
  on: v.boolean(),
});
export type RecordingMessage = v.InferOutput<typeof RecordingMessageSchema>;
