/**
 * Matching downloaded TEKs against stored sightings (gaen.md §3 "Matching a downloaded TEK",
 * §2 "Matching-time key filters"). Hot path: the sightings are indexed once per detection by the
 * first 4 bytes of their RPI; each key costs one HKDF and one AES-ECB call over 144 blocks
 * (fast-derive.ts, equal to protocol deriveRpik/deriveRpis), then 144 Map look-ups. The AEM key is derived only for keys that hit.
 */
import { decryptAem } from '../../protocol/aem.js';
import { EN_INTERVAL_SECONDS, enIntervalNumber, TEK_ROLLING_PERIOD } from '../../protocol/interval.js';
import { deriveAemk } from '../../protocol/key-derivation.js';
import { decodeMetadata } from '../../protocol/metadata.js';
import { RPI_LENGTH } from '../../protocol/rpi.js';
import { ReportType } from '../../protocol/tek.js';
import type { Sighting } from '../sighting.js';
import { fastRpik, fastRpis } from './fast-derive.js';
import type { DownloadedKey, MatchedKey, MatchedSighting } from './types.js';

/** tkMatchingClockDriftRollingPeriods = 12: ±2 h (gaen.md §3 step 2). */
export const CLOCK_DRIFT_INTERVALS = 12;
/** Sightings of one RPI more than 2 × 10 min after its first are replays (step 3). */
export const ANTI_REPLAY_SECONDS = 2 * EN_INTERVAL_SECONDS;
/** Accepted AEM TX power, dBm (step 4). */
export const TX_POWER_MIN = -50;
export const TX_POWER_MAX = 20;

export interface SightingIndex {
  /** Keyed by the RPI's first 30 bits (small integers keep V8's Map fast and allocation-free). */
  readonly byPrefix: ReadonlyMap<number, readonly Sighting[]>;
  /** One bit per 24-bit RPI prefix: rejects almost every derived RPI before the Map look-up. */
  readonly filter: Uint8Array;
  /** Which prefix bits index `filter` (sized to the sightings). */
  readonly filterMask: number;
  readonly minEnin: number;
  readonly maxEnin: number;
  readonly size: number;
}

/** First 30 bits of an RPI: stays a small integer (Smi), so Map look-ups neither hash doubles nor allocate. */
function prefix(bytes: Uint8Array, offset: number): number {
  return (
    bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | ((bytes[offset + 3] & 0x3f) << 24)
  );
}

/**
 * Bits of the prefix that index the filter: about 16 filter bits per sighting (a look-up of an unseen
 * RPI passes it about 6 % of the time), between 2^10 and 2^24. Sized to the sightings, a phone's
 * detection no longer zeroes 2 MiB for a few hundred of them.
 */
function filterBits(size: number): number {
  return Math.min(24, Math.max(10, Math.ceil(Math.log2(Math.max(1, size) * 16))));
}

/** Built once per detection. Sightings whose RPI is not 16 bytes are ignored (BleScannerImpl). */
export function buildSightingIndex(sightings: Iterable<Sighting>): SightingIndex {
  const all = Array.isArray(sightings) ? (sightings as readonly Sighting[]) : [...sightings];
  const bits = filterBits(all.length);
  const filterMask = (1 << bits) - 1;
  const byPrefix = new Map<number, Sighting[]>();
  const filter = new Uint8Array(1 << (bits - 3));
  let minEnin = Number.POSITIVE_INFINITY;
  let maxEnin = Number.NEGATIVE_INFINITY;
  let size = 0;
  for (const s of all) {
    if (s.rpi.length !== RPI_LENGTH) continue;
    const p = prefix(s.rpi, 0);
    const f = p & filterMask;
    filter[f >>> 3] |= 1 << (f & 7);
    const list = byPrefix.get(p);
    if (list) list.push(s);
    else byPrefix.set(p, [s]);
    const enin = enIntervalNumber(s.epochSeconds);
    if (enin < minEnin) minEnin = enin;
    if (enin > maxEnin) maxEnin = enin;
    size++;
  }
  return { byPrefix, filter, filterMask, minEnin, maxEnin, size };
}

/** Allowed report-type revisions (gaen.md §2): SELF_REPORT → {TEST, CLINICAL, REVOKED}; CLINICAL → {TEST, REVOKED}. */
const REVISIONS: Readonly<Record<number, readonly number[]>> = {
  [ReportType.SELF_REPORT]: [
    ReportType.CONFIRMED_TEST,
    ReportType.CONFIRMED_CLINICAL_DIAGNOSIS,
    ReportType.REVOKED,
  ],
  [ReportType.CONFIRMED_CLINICAL_DIAGNOSIS]: [ReportType.CONFIRMED_TEST, ReportType.REVOKED],
};

export interface MatchOptions {
  /**
   * Rolling periods of keys seen by earlier detections (key hex → period); a key whose period changed
   * is skipped (gaen.md §2). Updated in place with this detection's keys.
   */
  readonly seenRollingPeriods?: Map<string, number>;
}

export interface ResolvedKeys {
  /** Keys to match: deduplicated, revisions applied, RECURSIVE and REVOKED removed. */
  readonly keys: readonly DownloadedKey[];
  readonly skipped: {
    readonly recursive: number;
    readonly revoked: number;
    readonly rollingPeriodChanged: number;
  };
}

/**
 * Applies revised_keys and the report-type filters: RECURSIVE is never matched (Android
 * enableRecursiveTekReportType=false; iOS "not matched"), REVOKED and above are skipped but revise
 * earlier copies of the same key (gaen.md §2).
 */
export function resolveKeys(downloaded: readonly DownloadedKey[], options: MatchOptions = {}): ResolvedKeys {
  const byHex = new Map<string, DownloadedKey>();
  for (const k of downloaded) {
    const hex = Buffer.from(k.keyData).toString('hex');
    const existing = byHex.get(hex);
    if (!existing) {
      byHex.set(hex, k);
      continue;
    }
    if (!k.revised) continue; // the same key again in a later file: first copy wins
    const from = existing.reportType ?? ReportType.UNKNOWN;
    const to = k.reportType ?? ReportType.UNKNOWN;
    if (REVISIONS[from]?.includes(to)) byHex.set(hex, { ...existing, reportType: to });
  }
  const keys: DownloadedKey[] = [];
  let recursive = 0;
  let revoked = 0;
  let rollingPeriodChanged = 0;
  for (const [hex, k] of byHex) {
    const rt = k.reportType ?? ReportType.UNKNOWN;
    if (rt === ReportType.RECURSIVE) {
      recursive++;
      continue;
    }
    if (rt >= ReportType.REVOKED) {
      revoked++;
      continue;
    }
    const seen = options.seenRollingPeriods;
    if (seen) {
      const before = seen.get(hex);
      if (before !== undefined && before !== k.rollingPeriod) {
        rollingPeriodChanged++;
        continue;
      }
      seen.set(hex, k.rollingPeriod);
    }
    keys.push(k);
  }
  return { keys, skipped: { recursive, revoked, rollingPeriodChanged } };
}

/**
 * Matches keys against the index: validity window ENIN_j −12 … +12, anti-replay 20 min, AEM decrypt
 * with TX power in [−50, +20], attenuation = max(txPower − rssi, 0) (gaen.md §3 steps 1–5).
 * Returns the keys with at least one surviving sighting, sightings time-ordered.
 */
export function matchKeys(keys: readonly DownloadedKey[], index: SightingIndex): MatchedKey[] {
  const matched: MatchedKey[] = [];
  if (index.size === 0) return matched;
  const filter = index.filter;
  const filterMask = index.filterMask;
  for (const key of keys) {
    const rsin = key.rollingStartIntervalNumber;
    const period = Math.min(key.rollingPeriod, TEK_ROLLING_PERIOD);
    if (period <= 0) continue;
    // No sighting can be valid for this key: skip the crypto.
    if (rsin + period - 1 + CLOCK_DRIFT_INTERVALS < index.minEnin) continue;
    if (rsin - CLOCK_DRIFT_INTERVALS > index.maxEnin) continue;
    // Android always derives 144 RPIs; only the first rolling_period are used (step 1).
    const rpis = fastRpis(fastRpik(key.keyData), rsin);
    let hits: { j: number; s: Sighting }[] | undefined;
    for (let j = 0; j < period; j++) {
      const off = j * RPI_LENGTH;
      const p = prefix(rpis, off);
      const f = p & filterMask;
      if ((filter[f >>> 3] & (1 << (f & 7))) === 0) continue;
      const list = index.byPrefix.get(p);
      if (!list) continue;
      for (const s of list) {
        if (rpis.compare(s.rpi, 0, RPI_LENGTH, off, off + RPI_LENGTH) === 0) {
          hits ??= [];
          hits.push({ j, s });
        }
      }
    }
    if (!hits) continue;
    const sightings = validSightings(key, rpis, hits);
    if (sightings.length === 0) continue;
    matched.push({
      keyHex: Buffer.from(key.keyData).toString('hex'),
      rollingStartIntervalNumber: rsin,
      rollingPeriod: key.rollingPeriod,
      transmissionRiskLevel: key.transmissionRiskLevel ?? 0,
      reportType: key.reportType ?? ReportType.UNKNOWN,
      ...(key.daysSinceOnsetOfSymptoms !== undefined
        ? { daysSinceOnsetOfSymptoms: key.daysSinceOnsetOfSymptoms }
        : {}),
      sightings,
    });
  }
  return matched;
}

function validSightings(
  key: DownloadedKey,
  rpis: Buffer,
  hits: { j: number; s: Sighting }[],
): MatchedSighting[] {
  const aemk = deriveAemk(key.keyData);
  const byJ = new Map<number, Sighting[]>();
  for (const { j, s } of hits) {
    const list = byJ.get(j);
    if (list) list.push(s);
    else byJ.set(j, [s]);
  }
  const out: MatchedSighting[] = [];
  for (const [j, list] of byJ) {
    const enin = key.rollingStartIntervalNumber + j;
    const rpi = rpis.subarray(j * RPI_LENGTH, (j + 1) * RPI_LENGTH);
    list.sort((a, b) => a.epochSeconds - b.epochSeconds);
    let first: number | undefined;
    for (const s of list) {
      const seenEnin = enIntervalNumber(s.epochSeconds);
      if (seenEnin < enin - CLOCK_DRIFT_INTERVALS || seenEnin >= enin + CLOCK_DRIFT_INTERVALS + 1) continue;
      first ??= s.epochSeconds;
      if (s.epochSeconds - first > ANTI_REPLAY_SECONDS) continue;
      if (s.aem.length !== 4) continue;
      const meta = decodeMetadata(decryptAem(aemk, rpi, s.aem));
      if (meta.txPower < TX_POWER_MIN || meta.txPower > TX_POWER_MAX) continue;
      out.push({
        epochSeconds: s.epochSeconds,
        previousScanEpochSeconds: s.previousScanEpochSeconds,
        enin,
        rssi: s.rssi,
        txPower: meta.txPower,
        calibrationConfidence: meta.calibrationConfidence,
        attenuation: Math.max(meta.txPower - s.rssi, 0),
      });
    }
  }
  out.sort((a, b) => a.epochSeconds - b.epochSeconds);
  return out;
}
