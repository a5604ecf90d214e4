/** Call statistics: sampling, quality grading, mesh health (framework-free). */
export { CallStats, SAMPLE_INTERVAL_MS, IDLE_SAMPLE_INTERVAL_MS, HEALTH_INTERVAL_MS } from './sampler.js';
export type { CallReport, CallStatsHost, LinkStats } from './sampler.js';
export { summarizeStats, isRelayed } from './sample.js';
export type { CandidateInfo, CandidateType, Counters, InboundStats, LinkSample, MediaDirectionStats, OutboundStats } from './sample.js';
export { gradeQuality, qualityLabel, qualityTooltip, QualitySmoother, QUALITY_THRESHOLDS } from './quality.js';
export type { ConnectionQuality, QualityInput, QualityLevel, QualityReason } from './quality.js';
export { cellFromReport, findBottlenecks } from './health.js';
export type { HealthCell, HealthMatrix, HealthPeer } from './health.js';
