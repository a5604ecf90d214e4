import type { AbuseLimitOptions } from '../../server/src/limits.js';

/**
 * Per-address limits for the servers the tests and benches start: every test client comes from
 * 127.0.0.1, so the server's defaults would count a whole suite (hundreds of joins a minute from
 * two browsers) as one flooding client. The limits themselves are tested in server/test.
 */
export const TEST_LIMITS: AbuseLimitOptions = {
  connectionsPerMinute: 1_000_000,
  maxSocketsPerAddress: 100_000,
  joinsPerMinute: 1_000_000,
  messagesPerSecond: 1_000_000,
  messageBurst: 10_000_000,
};
