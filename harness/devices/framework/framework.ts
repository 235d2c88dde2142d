/**
 * createFramework: one phone's Exposure Notification framework. State: own keys, sightings, quota
 * ledger, rolling periods of keys seen before. Everything else is pure functions over that state.
 */
import { KEY_RETENTION_DAYS } from '../../protocol/interval.js';
import type { Sighting } from '../sighting.js';
import { matchFromKeys } from './detect.js';
import { readDiagnosisFiles } from './download.js';
import { KeyStore } from './keys.js';
import { PLATFORM_RULES } from './platform.js';
import { QuotaLedger } from './quota.js';
import type {
  DetectionFailed,
  ExposureNotificationFramework,
  FrameworkOptions,
  QuotaExceeded,
  V1Detection,
  V1DetectionInput,
  V2Detection,
  V2DetectionInput,
} from './types.js';
import { scoreV1 } from './v1.js';
import { scoreV2 } from './v2.js';

const RETENTION_SECONDS = KEY_RETENTION_DAYS * 86_400;

/** Sightings in arrival order; those older than 14 days before the newest are pruned (contactRecordDaysToKeep). */
class SightingStore {
  private items: Sighting[] = [];
  private newest = Number.NEGATIVE_INFINITY;

  add(s: Sighting): void {
    this.items.push(s);
    if (s.epochSeconds > this.newest) this.newest = s.epochSeconds;
    // Amortised: prune when the oldest kept is past retention, at most once per 1024 additions.
    if (this.items.length % 1024 === 0) this.prune(this.newest);
  }

  prune(nowEpochSeconds: number): void {
    const limit = nowEpochSeconds - RETENTION_SECONDS;
    if (this.items.some((s) => s.epochSeconds < limit)) {
      this.items = this.items.filter((s) => s.epochSeconds >= limit);
    }
  }

  all(nowEpochSeconds: number): readonly Sighting[] {
    this.prune(Math.max(nowEpochSeconds, this.newest));
    return this.items;
  }

  get size(): number {
    return this.items.length;
  }
}

export function createFramework(options: FrameworkOptions): ExposureNotificationFramework {
  const { platform, osVersion, random, verificationKeys } = options;
  const keys = new KeyStore(random, options.metadata);
  const sightings = new SightingStore();
  const quota = new QuotaLedger(platform);
  const seenRollingPeriods = new Map<string, number>();
  const providedHeaders = PLATFORM_RULES[platform].deduplicatesFilesByHeader ? new Set<string>() : undefined;

  function downloadAndMatch(files: readonly Uint8Array[], nowEpochSeconds: number) {
    // Headers are taken in only when the call succeeds: a call that fails as a whole took in nothing.
    const seen = providedHeaders ? new Set(providedHeaders) : undefined;
    const read = readDiagnosisFiles(files, verificationKeys, seen);
    const bad = read.report.rejectReasons.find((r) => r.code === 'EXPORT_SIGNATURE_INVALID');
    if (bad && PLATFORM_RULES[platform].badSignatureFailsCall) {
      const failed: DetectionFailed = {
        kind: 'detection-failed',
        code: 'API_EXCEPTION_10',
        platform,
        reason: `Unable to validate key file signature (file ${bad.file}: ${bad.reason})`,
        download: read.report,
      };
      return failed;
    }
    if (seen) for (const h of seen) providedHeaders?.add(h);
    return matchFromKeys({
      platform,
      keys: read.keys,
      sightings: sightings.all(nowEpochSeconds),
      nowEpochSeconds,
      download: read.report,
      seenRollingPeriods,
    });
  }

  return {
    platform,
    osVersion,
    advertisementAt: (epochSeconds) => keys.advertisementAt(epochSeconds),
    recordSighting: (s) => sightings.add(s),
    getDiagnosisKeys: (now, opts) => keys.getDiagnosisKeys(now, opts),
    detectV1(input: V1DetectionInput): V1Detection | QuotaExceeded | DetectionFailed {
      const refused = quota.take('v1', input.nowEpochSeconds);
      if (refused) return refused;
      const read = downloadAndMatch(input.files, input.nowEpochSeconds);
      if ('kind' in read) return read;
      const { matched, download } = read;
      return scoreV1(platform, matched, input.configuration, input.nowEpochSeconds, download);
    },
    detectV2(input: V2DetectionInput): V2Detection | QuotaExceeded | DetectionFailed {
      const refused = quota.take('v2', input.nowEpochSeconds);
      if (refused) return refused;
      const read = downloadAndMatch(input.files, input.nowEpochSeconds);
      if ('kind' in read) return read;
      const { matched, download } = read;
      const detection = scoreV2(
        platform,
        matched,
        input.mapping,
        input.configuration,
        input.nowEpochSeconds,
        download,
        random,
      );
      // The shuffle drew from the seed only when there was an order to change.
      if (detection.exposureWindows.length >= 2) options.onModelDraw?.('window-order');
      return detection;
    },
    sightingCount: () => sightings.size,
    ownKeys: () => keys.list(),
  };
}
