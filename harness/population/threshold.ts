/**
 * Each build's effective threshold, found by asking it: a contact at a constant attenuation is scored
 * by the receiver's framework (scoreV1/scoreV2, the code phones use) under the configuration the
 * build fetched, and the build decides. The largest attenuation a 30-minute contact notifies at, and
 * the shortest contact at 1 m that notifies, are set beside the close-contact definition (≤ 1 m,
 * ≥ 15 min). Metres come from the radio model's indoor fit (fixtures/radio/fit.json: least squares
 * over the Fraunhofer / Corona-Warn-App medians 55 dB @ 1.5 m, 63 dB @ 3 m, 73 dB @ 8 m).
 */

import type { AppBuild, AppConfiguration } from '../devices/apps/types.js';
import { type MatchedKey, type MatchedSighting, scoreV1, scoreV2 } from '../devices/framework/index.js';
import { ENVIRONMENTS, meanPathLossDb } from '../devices/radio/index.js';
import type { Platform } from '../devices/types.js';
import { EN_INTERVAL_SECONDS } from '../protocol/interval.js';

/** What the probe's key carries: as the server under test published its keys. */
export interface ProbeKey {
  readonly transmissionRiskLevel: number;
  readonly reportType: number;
  readonly daysSinceOnsetOfSymptoms?: number;
}

export interface EffectiveThreshold {
  readonly platform: Platform;
  readonly osVersion: string;
  readonly app: string;
  readonly path: 'v1' | 'v2';
  /**
   * Largest attenuation (whole dB) at which a 30-minute contact notifies; null when none does (the
   * build cannot notify for this key), `PROBE_MAX_DB` when every attenuation does (no limit).
   */
  readonly attenuationDb: number | null;
  /** The distance whose mean indoor attenuation is `attenuationDb`, metres; null with it. */
  readonly distanceM: number | null;
  /** Shortest contact at 1 m (the mean indoor attenuation there) that notifies, minutes; null if none up to 60. */
  readonly minutesAt1m: number | null;
}

/** The model and its source, for the report. */
export const DISTANCE_MODEL = {
  environment: 'office',
  source:
    'fixtures/radio/fit.json (indoor fit: least squares over 55 dB @ 1.5 m, 63 dB @ 3 m, 73 dB @ 8 m, Fraunhofer IIS / Corona-Warn-App); harness/devices/radio/path-loss.ts',
} as const;

export const PROBE_MAX_DB = 100;
const PROBE_MINUTES = 30;
/** One scan every 4 minutes (Android: 210–300 s, radio/scanner.ts), one sighting per scan. */
const SCAN_SECONDS = 240;

/** Mean indoor distance at which the attenuation is `db`: the path-loss model inverted. */
export function distanceForAttenuation(db: number): number {
  const env = ENVIRONMENTS[DISTANCE_MODEL.environment];
  return 10 ** ((db - env.a1Db) / (10 * env.exponent));
}

/** A matched key seen at one attenuation for `minutes`, on the key's own day (12:00 UTC). */
function contact(key: ProbeKey, dayStart: number, attenuationDb: number, minutes: number): MatchedKey {
  const from = dayStart + 12 * 3600;
  const sightings: MatchedSighting[] = [];
  for (let t = from; t <= from + minutes * 60; t += SCAN_SECONDS)
    sightings.push({
      epochSeconds: t,
      previousScanEpochSeconds: t - SCAN_SECONDS,
      enin: Math.floor(t / EN_INTERVAL_SECONDS),
      rssi: -15 - attenuationDb,
      txPower: -15,
      calibrationConfidence: 3,
      attenuation: attenuationDb,
    });
  return {
    keyHex: '00'.repeat(16),
    rollingStartIntervalNumber: dayStart / EN_INTERVAL_SECONDS,
    rollingPeriod: 144,
    transmissionRiskLevel: key.transmissionRiskLevel,
    reportType: key.reportType,
    ...(key.daysSinceOnsetOfSymptoms !== undefined
      ? { daysSinceOnsetOfSymptoms: key.daysSinceOnsetOfSymptoms }
      : {}),
    sightings,
  };
}

export interface ProbeInput {
  readonly platform: Platform;
  readonly path: 'v1' | 'v2';
  readonly app: AppBuild;
  readonly config: AppConfiguration;
  readonly key: ProbeKey;
  /** Start of a UTC day; the check runs a day later. */
  readonly dayStart: number;
}

/** Does the build notify for this one contact? */
export function notifiesFor(i: ProbeInput, attenuationDb: number, minutes: number): boolean {
  const matched = [contact(i.key, i.dayStart, attenuationDb, minutes)];
  const now = i.dayStart + 86_400 + 12 * 3600;
  const download = { filesAccepted: 1, filesRejected: 0, rejectReasons: [], keysRead: 1 };
  let output: Parameters<AppBuild['decide']>[0];
  if (i.path === 'v2') {
    const v2 = i.config.v2;
    if (!v2) throw new Error(`${i.app.id}: no EN v2 configuration to probe`);
    output = scoreV2(
      i.platform,
      matched,
      v2.mapping[i.platform],
      i.platform === 'android' ? v2.android : v2.ios,
      now,
      download,
      (n) => new Uint8Array(n),
    );
  } else {
    output = scoreV1(i.platform, matched, i.config.v1[i.platform], now, download);
  }
  return i.app.decide(output, i.config, now).passed;
}

export function effectiveThreshold(
  i: ProbeInput & { readonly osVersion: string; readonly appId: string },
): EffectiveThreshold {
  let attenuationDb: number | null = null;
  // Scores fall with attenuation, so the largest notifying value is the threshold.
  for (let db = PROBE_MAX_DB; db >= 0; db--)
    if (notifiesFor(i, db, PROBE_MINUTES)) {
      attenuationDb = db;
      break;
    }
  const at1m = Math.round(meanPathLossDb(1, DISTANCE_MODEL.environment));
  let minutesAt1m: number | null = null;
  for (let m = 1; m <= 60; m++)
    if (notifiesFor(i, at1m, m)) {
      minutesAt1m = m;
      break;
    }
  return {
    platform: i.platform,
    osVersion: i.osVersion,
    app: i.appId,
    path: i.path,
    attenuationDb,
    distanceM: attenuationDb === null ? null : Math.round(distanceForAttenuation(attenuationDb) * 10) / 10,
    minutesAt1m,
  };
}
