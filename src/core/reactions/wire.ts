/**
 * The `control` channel messages of reactions and raised hands (P2P 1.7, docs/protocol.md §10).
 * Kept apart from their logic so control.ts can take them into its schema without a cycle.
 */
import * as v from 'valibot';

/**
 * The only reactions there are: a fixed set, so a peer cannot put arbitrary text (or a wall of
 * emoji) over someone's tile. Anything else is dropped by the receiver and refused by `react()`.
 */
export const REACTIONS = ['👍', '👏', '❤️', '😂', '😮', '🎉'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** Spoken names of the reactions (button labels; screen readers say emoji inconsistently). */
export const REACTION_NAMES: Record<Reaction, string> = {
  '👍': 'Thumbs up',
  '👏': 'Clapping',
  '❤️': 'Heart',
  '😂': 'Laughing',
  '😮': 'Surprised',
  '🎉': 'Celebrate',
};

export function isReaction(value: unknown): value is Reaction {
  return (REACTIONS as readonly unknown[]).includes(value);
}

/** A peer id as the server hands them out (the same bound as in `health`). */
const PeerId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

/** One reaction of the sender, shown over its tile for everyone. */
export const ReactionMessageSchema = v.object({
  type: v.literal('reaction'),
  emoji: v.picklist(REACTIONS),
});
export type ReactionMessage = v.InferOutput<typeof ReactionMessageSchema>;

/** The sender's own hand: raised or not, and when it was raised (its clock, ms since the epoch). */
export const HandMessageSchema = v.object({
  type: v.literal('hand'),
  raised: v.boolean(),
  /** When the sender raised it (`Date.now()` there); 0 when lowered. */
  at: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8.64e15)),
});
export type HandMessage = v.InferOutput<typeof HandMessageSchema>;

/** A host asks the receiver (`id`, who must be the receiver) to lower its hand. */
export const LowerHandMessageSchema = v.object({
  type: v.literal('lower-hand'),
  id: PeerId,
});
export type LowerHandMessage = v.InferOutput<typeof LowerHandMessageSchema>;
