/**
 * Parameters of a population run, with their defaults and sources (harness/population/README.md).
 * Every default either cites where it comes from or is marked UNVERIFIED: a population run answers
 * "what would users experience under these assumptions", so the assumptions are printed with it.
 */
import type { Environment, Platform } from '../devices/types.js';

/** A share of phones on one OS version (and, on Android, whether Play services offers EN v2). */
export interface OsShare {
  readonly platform: Platform;
  readonly osVersion: string;
  readonly enVersion: 1 | 2;
  readonly share: number;
}

export interface PopulationParams {
  readonly phones: number;
  readonly days: number;
  readonly seed: number;
  /** Share of phones that are iPhones. */
  readonly iosShare: number;
  /** OS mix within each platform (shares within a platform sum to 1). */
  readonly osMix: readonly OsShare[];
  /** App builds and their shares, per platform ("not everyone updates"); default: the release's build. */
  readonly appMix?: Readonly<Record<Platform, readonly { readonly app: string; readonly share: number }[]>>;
  /** Probability per phone per day of a positive test (scaled up from Japan's rates to give statistics). */
  readonly dailyIncidence: number;
  /** Share of positives who register their processing number in the app. */
  readonly registerShare: number;
  /** Days from the positive test to the upload, drawn uniformly from [min, max]. */
  readonly uploadDelayDays: readonly [number, number];
  /** Days from symptom onset to the test, drawn uniformly from [min, max]. */
  readonly onsetToTestDays: readonly [number, number];
  readonly contacts: ContactModel;
}

/** One setting where people meet: who meets, how close and for how long. */
export interface Setting {
  readonly environment: Environment;
  /** Share of the population taking part on a given day. */
  readonly dailyShare: number;
  /** Size of a group (household, workplace team, train car section, restaurant table). */
  readonly groupSize: readonly [number, number];
  /** Distance between two members, metres, uniform in [min, max]. */
  readonly distanceM: readonly [number, number];
  /** Duration together, minutes, uniform in [min, max]. */
  readonly durationMin: readonly [number, number];
  /** Local hour (JST) the meeting starts, uniform in [min, max). */
  readonly hourJst: readonly [number, number];
  /** Fixed groups (households, workplaces) or reshuffled every day (trains, restaurants). */
  readonly fixed: boolean;
}

export interface ContactModel {
  readonly household: Setting;
  readonly workplace: Setting;
  readonly train: Setting;
  readonly restaurant: Setting;
}

export type SettingName = keyof ContactModel;
export const SETTINGS: readonly SettingName[] = ['household', 'workplace', 'train', 'restaurant'];

/**
 * Defaults. Sources:
 * - iOS share 0.67: StatCounter, mobile OS market share Japan, 2020 (iOS ≈ 67 %, Android ≈ 33 %).
 * - household size 1–4 (mean 2.5; Japan 2020 census: 2.21 persons per household); the spread is
 *   UNVERIFIED (uniform 1–4 is a stand-in for the census distribution).
 * - the MHLW close-contact definition (≤ 1 m, ≥ 15 min) is the ground truth (close-contact.ts).
 * - every distance, duration, group size and daily share of the settings: UNVERIFIED stand-ins chosen
 *   to put close and non-close contacts on both sides of the 1 m / 15 min line, not fitted to data.
 * - daily incidence 5e-4: UNVERIFIED, about ten times Japan's winter 2021 peak (≈ 6,000 cases a day for
 *   126 M people ≈ 5e-5), so that 10^5 phones give enough positives for intervals.
 * - register share 0.5 and upload delay 0–2 days, onset-to-test 0–3 days: UNVERIFIED.
 * - OS mix: UNVERIFIED (iOS 13.5/13.6 kept at a few per cent so the legacy path is exercised).
 */
export const DEFAULT_PARAMS: PopulationParams = {
  phones: 100_000,
  days: 14,
  seed: 1,
  iosShare: 0.67,
  osMix: [
    { platform: 'ios', osVersion: '13.6', enVersion: 2, share: 0.05 },
    { platform: 'ios', osVersion: '14.4', enVersion: 2, share: 0.95 },
    { platform: 'android', osVersion: '10', enVersion: 1, share: 0.1 },
    { platform: 'android', osVersion: '11', enVersion: 2, share: 0.9 },
  ],
  dailyIncidence: 5e-4,
  registerShare: 0.5,
  uploadDelayDays: [0, 2],
  onsetToTestDays: [0, 3],
  contacts: {
    household: {
      environment: 'home',
      dailyShare: 1,
      groupSize: [1, 4],
      distanceM: [0.5, 2],
      durationMin: [30, 180],
      hourJst: [18, 21],
      fixed: true,
    },
    workplace: {
      environment: 'office',
      dailyShare: 0.6,
      groupSize: [3, 8],
      distanceM: [0.8, 3],
      durationMin: [10, 120],
      hourJst: [9, 16],
      fixed: true,
    },
    train: {
      environment: 'train',
      dailyShare: 0.25,
      groupSize: [4, 10],
      distanceM: [0.3, 2],
      durationMin: [5, 40],
      hourJst: [7, 9],
      fixed: false,
    },
    restaurant: {
      environment: 'restaurant',
      dailyShare: 0.1,
      groupSize: [2, 4],
      distanceM: [0.5, 1.5],
      durationMin: [30, 120],
      hourJst: [12, 20],
      fixed: false,
    },
  },
};

export class PopulationParamsError extends Error {
  readonly code = 'POPULATION_PARAMS_INVALID';
}

/** Checks the numbers a run cannot work with; the message names the parameter. */
export function validateParams(p: PopulationParams): PopulationParams {
  const fail = (field: string, rule: string, got: unknown) => {
    throw new PopulationParamsError(`population: ${field} ${rule}, got ${JSON.stringify(got)}`);
  };
  if (!Number.isInteger(p.phones) || p.phones < 2 || p.phones > 10_000_000)
    fail('phones', 'must be an integer from 2 to 10,000,000', p.phones);
  if (!Number.isInteger(p.days) || p.days < 1 || p.days > 14)
    fail('days', 'must be an integer from 1 to 14 (the server accepts 14 days of keys)', p.days);
  for (const [field, v] of [
    ['iosShare', p.iosShare],
    ['dailyIncidence', p.dailyIncidence],
    ['registerShare', p.registerShare],
  ] as const)
    if (!(v >= 0 && v <= 1)) fail(field, 'must be a share from 0 to 1', v);
  for (const platform of ['android', 'ios'] as const) {
    const sum = p.osMix.filter((o) => o.platform === platform).reduce((s, o) => s + o.share, 0);
    if (Math.abs(sum - 1) > 1e-9) fail(`osMix (${platform})`, 'shares must sum to 1', sum);
    const apps = p.appMix?.[platform];
    if (apps) {
      const appSum = apps.reduce((s, a) => s + a.share, 0);
      if (Math.abs(appSum - 1) > 1e-9) fail(`appMix (${platform})`, 'shares must sum to 1', appSum);
    }
  }
  return p;
}
