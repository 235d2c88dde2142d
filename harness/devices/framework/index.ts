/**
 * The simulated Exposure Notification framework (the OS part of a phone), EN v1 and v2,
 * Android and iOS (gaen.md §1–§5). Deterministic given `random` and the inputs.
 */
export {
  convertV2Configuration,
  dailySummariesFromIos,
  iosConfigurationFromDailySummaries,
} from './convert.js';
export { type DetectFromKeysInput, detectV1FromKeys, detectV2FromKeys, matchFromKeys } from './detect.js';
export { type DownloadResult, readDiagnosisFiles } from './download.js';
export { FrameworkError, type FrameworkErrorCode } from './errors.js';
export { createFramework } from './framework.js';
export {
  buildSightingIndex,
  type MatchOptions,
  matchKeys,
  resolveKeys,
  type SightingIndex,
} from './match.js';
export { PLATFORM_RULES, type PlatformRules } from './platform.js';
export { QUOTAS } from './quota.js';
export * from './types.js';
export { scoreV1 } from './v1.js';
export { dailySummaries, exposureWindows, scoreV2 } from './v2.js';
