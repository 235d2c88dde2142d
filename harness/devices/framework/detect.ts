/**
 * Detection from already-decoded keys: resolve (revisions, report-type filters), match, score.
 * The framework's detectV1/detectV2 call these after reading and verifying the files; tests and
 * benchmarks call them directly with keys built in memory.
 */
import type { Sighting } from '../sighting.js';
import { buildSightingIndex, matchKeys, resolveKeys, type SightingIndex } from './match.js';
import type {
  DiagnosisKeysDataMapping,
  DownloadedKey,
  DownloadReport,
  FrameworkPlatform,
  MatchedKey,
  V1Configuration,
  V1Detection,
  V2Configuration,
  V2Detection,
} from './types.js';
import { scoreV1 } from './v1.js';
import { scoreV2 } from './v2.js';

export interface DetectFromKeysInput {
  readonly platform: FrameworkPlatform;
  readonly keys: readonly DownloadedKey[];
  /** Stored sightings, or an index already built from them. */
  readonly sightings: Iterable<Sighting> | SightingIndex;
  readonly nowEpochSeconds: number;
  /** Defaults to "all keys came from one accepted file". */
  readonly download?: DownloadReport;
  /** See MatchOptions.seenRollingPeriods. */
  readonly seenRollingPeriods?: Map<string, number>;
}

function isIndex(s: Iterable<Sighting> | SightingIndex): s is SightingIndex {
  return (s as SightingIndex).byPrefix instanceof Map;
}

export function matchFromKeys(input: DetectFromKeysInput): {
  matched: MatchedKey[];
  download: DownloadReport;
} {
  const index = isIndex(input.sightings) ? input.sightings : buildSightingIndex(input.sightings);
  const { keys } = resolveKeys(input.keys, { seenRollingPeriods: input.seenRollingPeriods });
  return {
    matched: matchKeys(keys, index),
    download: input.download ?? {
      filesAccepted: 1,
      filesRejected: 0,
      rejectReasons: [],
      keysRead: input.keys.length,
    },
  };
}

export function detectV1FromKeys(
  input: DetectFromKeysInput & { readonly configuration: V1Configuration },
): V1Detection {
  const { matched, download } = matchFromKeys(input);
  return scoreV1(input.platform, matched, input.configuration, input.nowEpochSeconds, download);
}

export function detectV2FromKeys(
  input: DetectFromKeysInput & {
    readonly mapping: DiagnosisKeysDataMapping;
    readonly configuration: V2Configuration;
    readonly random: (n: number) => Uint8Array;
  },
): V2Detection {
  const { matched, download } = matchFromKeys(input);
  return scoreV2(
    input.platform,
    matched,
    input.mapping,
    input.configuration,
    input.nowEpochSeconds,
    download,
    input.random,
  );
}
