/**
 * The waits and counts a peer link negotiates and recovers by (docs/protocol.md §7 gives the
 * same figures to other clients). One object so that tests can shorten them for a while and put
 * them back; the product never changes them.
 */
export const linkTiming = {
  /** If the expected offer has not come by then, offer ourselves (a lost or refused message). */
  offerFallbackMs: 4000,
  /** An offer unanswered for this long is sent again. */
  answerTimeoutMs: 8000,
  /** Offers sent again without an answer before the link reports the failure. */
  maxOfferRetries: 3,
  /** How long 'disconnected' may last before an ICE restart ('failed' restarts at once). */
  disconnectedGraceMs: 3000,
  /** Between ICE restarts while the connection stays down: short, so a path that comes back is used within seconds. */
  restartRetryMs: 3000,
  /** The polite side restarts this much later, so that normally only one side does (perfect negotiation copes either way). */
  politeDelayMs: 2000,
  /** About a minute of quick restarts; then the connection is reported lost, and restarted slowly. */
  maxIceRestarts: 20,
  /**
   * After the quick restarts, while the peer is still in the room: a relay or a network that
   * comes back after minutes is used again, without anyone rejoining.
   */
  slowRestartMs: 30_000,
  /** A link that has its descriptions but is still not connected after this long restarts ICE. */
  connectTimeoutMs: 20_000,
  /**
   * A channel that closes this soon after the connection was down is not taken for the remote
   * leaving, even with ICE up again: the channel may have died in the outage, or the remote made
   * its connection anew after one. The link is made anew, the remote offering.
   */
  outageEchoMs: 30_000,
  /** A TURN credential refresh must not hold up a restart: the old ones may still be valid. */
  refreshTimeoutMs: 2000,
};

export type LinkTiming = typeof linkTiming;
