/**
 * The seeded population: phones (platform, OS, model, app), who tests positive when, and who meets
 * whom. Every draw is a pure function of (seed, what, indices), so any shard derives the same world
 * without talking to the others, and a pair's meeting is the same seen from either side.
 */
import type { Environment, Platform } from '../devices/types.js';
import { type PopulationParams, SETTINGS, type Setting, type SettingName } from './params.js';

/** Uniform [0, 1) from integers: a 32-bit avalanche hash (Murmur3 finaliser) over the inputs. */
export function hash01(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return (h >>> 0) / 4_294_967_296;
}

const between = (u: number, [lo, hi]: readonly [number, number]) => lo + (hi - lo) * u;
const intBetween = (u: number, [lo, hi]: readonly [number, number]) => lo + Math.floor(u * (hi - lo + 1));

/** Streams of the hash, so that adding a draw to one never shifts another. */
const S = {
  platform: 1,
  os: 2,
  app: 3,
  model: 4,
  positive: 5,
  register: 6,
  delay: 7,
  onset: 8,
  member: 9,
  order: 10,
  size: 11,
  distance: 12,
  duration: 13,
  hour: 14,
} as const;

/** Calibration-table models a simulated phone can be (fixtures/calibration/en-calibration.csv). */
export const MODELS: Readonly<Record<Platform, readonly string[]>> = {
  android: ['Pixel 4', 'Pixel 3a', 'Pixel 5', 'SM-G973F', 'SM-A505F', 'Redmi Note 7'],
  ios: ['iPhone 8', 'iPhone X', 'iPhone 11', 'iPhone SE (2nd generation)', 'iPhone 12'],
};

export interface PhoneTraits {
  readonly platform: Platform;
  readonly osVersion: string;
  readonly enVersion: 1 | 2;
  readonly model: string;
  readonly app: string;
}

export interface Positive {
  readonly phone: number;
  /** Day of the positive test (0-based); the person isolates from the day after. */
  readonly testDay: number;
  /** Day of symptom onset (may be before day 0). */
  readonly onsetDay: number;
  /** Day the processing number is entered and the keys uploaded (≥ testDay); null if never. */
  readonly uploadDay: number | null;
}

/** One side's view of a meeting: who, where, how close, how long. */
export interface Meeting {
  readonly sender: number;
  readonly receiver: number;
  readonly day: number;
  readonly setting: SettingName;
  readonly environment: Environment;
  readonly distanceM: number;
  readonly durationMin: number;
  /** Minutes after local midnight (JST) the meeting starts. */
  readonly startMinuteJst: number;
}

const SETTING_ID: Readonly<Record<SettingName, number>> = {
  household: 1,
  workplace: 2,
  train: 3,
  restaurant: 4,
};

export class Population {
  readonly params: PopulationParams;
  private readonly seed: number;
  private readonly defaultApps: Readonly<Record<Platform, string>>;
  /** Group of each phone in each fixed setting (-1: not a member), built once. */
  private readonly fixedGroups = new Map<SettingName, { of: Int32Array; members: number[][] }>();
  /** Daily groups of the reshuffled settings, built on demand per day. */
  private readonly dailyGroups = new Map<string, { of: Int32Array; members: number[][] }>();

  constructor(params: PopulationParams, defaultApps: Readonly<Record<Platform, string>>) {
    this.params = params;
    this.seed = params.seed;
    this.defaultApps = defaultApps;
  }

  phone(i: number): PhoneTraits {
    const p = this.params;
    const platform: Platform = hash01(this.seed, S.platform, i) < p.iosShare ? 'ios' : 'android';
    const oses = p.osMix.filter((o) => o.platform === platform);
    const os = pick(oses, hash01(this.seed, S.os, i), (o) => o.share);
    const apps = p.appMix?.[platform] ?? [{ app: this.defaultApps[platform], share: 1 }];
    const app = pick(apps, hash01(this.seed, S.app, i), (a) => a.share).app;
    const models = MODELS[platform];
    const model = models[Math.floor(hash01(this.seed, S.model, i) * models.length)];
    return { platform, osVersion: os.osVersion, enVersion: os.enVersion, model, app };
  }

  /** Everyone who tests positive during the run, in phone order. */
  positives(): Positive[] {
    const p = this.params;
    const out: Positive[] = [];
    // The chance of testing positive at least once in the run, then the day uniformly.
    const runChance = 1 - (1 - p.dailyIncidence) ** p.days;
    for (let i = 0; i < p.phones; i++) {
      if (hash01(this.seed, S.positive, i) >= runChance) continue;
      const testDay = Math.floor(hash01(this.seed, S.positive, i, 1) * p.days);
      const onsetDay = testDay - intBetween(hash01(this.seed, S.onset, i), p.onsetToTestDays);
      const registers = hash01(this.seed, S.register, i) < p.registerShare;
      const uploadDay = testDay + intBetween(hash01(this.seed, S.delay, i), p.uploadDelayDays);
      out.push({
        phone: i,
        testDay,
        onsetDay,
        uploadDay: registers && uploadDay < p.days ? uploadDay : null,
      });
    }
    return out;
  }

  /** The meetings `sender` has on `day` with everyone in its groups, seen from the sender. */
  meetingsOf(sender: number, day: number): Meeting[] {
    const out: Meeting[] = [];
    for (const name of SETTINGS) {
      const setting = this.params.contacts[name];
      const groups = setting.fixed ? this.fixed(name) : this.daily(name, day);
      const g = groups.of[sender];
      if (g < 0) continue;
      // A fixed group meets on a given day with its daily share (households: every day).
      if (setting.fixed && hash01(this.seed, S.member, SETTING_ID[name], g, day) >= attendance(setting))
        continue;
      const startMinuteJst = Math.floor(
        between(hash01(this.seed, S.hour, SETTING_ID[name], g, day), setting.hourJst) * 60,
      );
      for (const receiver of groups.members[g]) {
        if (receiver === sender) continue;
        const a = Math.min(sender, receiver);
        const b = Math.max(sender, receiver);
        out.push({
          sender,
          receiver,
          day,
          setting: name,
          environment: setting.environment,
          distanceM: round2(
            between(hash01(this.seed, S.distance, SETTING_ID[name], day, a, b), setting.distanceM),
          ),
          durationMin: Math.round(
            between(hash01(this.seed, S.duration, SETTING_ID[name], day, a, b), setting.durationMin),
          ),
          startMinuteJst,
        });
      }
    }
    return out;
  }

  private fixed(name: SettingName) {
    let groups = this.fixedGroups.get(name);
    if (!groups) {
      const setting = this.params.contacts[name];
      // Households take everyone; other fixed settings their members (share of the population).
      const share = name === 'household' ? 1 : setting.dailyShare;
      groups = this.group(
        setting,
        SETTING_ID[name],
        0,
        (i) => hash01(this.seed, S.member, SETTING_ID[name], i) < share,
      );
      this.fixedGroups.set(name, groups);
    }
    return groups;
  }

  private daily(name: SettingName, day: number) {
    const key = `${name}:${day}`;
    let groups = this.dailyGroups.get(key);
    if (!groups) {
      const setting = this.params.contacts[name];
      const id = SETTING_ID[name];
      groups = this.group(
        setting,
        id,
        day + 1,
        (i) => hash01(this.seed, S.member, id, day, i) < setting.dailyShare,
      );
      this.dailyGroups.set(key, groups);
    }
    return groups;
  }

  /** Members in a seeded order, cut into groups of the setting's sizes. */
  private group(setting: Setting, id: number, salt: number, member: (i: number) => boolean) {
    const n = this.params.phones;
    const order: { i: number; k: number }[] = [];
    for (let i = 0; i < n; i++) if (member(i)) order.push({ i, k: hash01(this.seed, S.order, id, salt, i) });
    order.sort((x, y) => x.k - y.k);
    const of = new Int32Array(n).fill(-1);
    const members: number[][] = [];
    for (let at = 0; at < order.length; ) {
      const size = intBetween(hash01(this.seed, S.size, id, salt, members.length), setting.groupSize);
      const group = order.slice(at, at + size).map((o) => o.i);
      for (const i of group) of[i] = members.length;
      members.push(group);
      at += size;
    }
    return { of, members };
  }

  /** Forget the daily groups of days before `day` (memory stays flat over the run). */
  forgetBefore(day: number): void {
    for (const key of this.dailyGroups.keys())
      if (Number(key.split(':')[1]) < day) this.dailyGroups.delete(key);
  }
}

/** Fixed groups other than households meet on about five days of seven (UNVERIFIED). */
const attendance = (setting: Setting) => (setting.environment === 'home' ? 1 : 5 / 7);

const round2 = (x: number) => Math.round(x * 100) / 100;

function pick<T>(items: readonly T[], u: number, share: (t: T) => number): T {
  let acc = 0;
  for (const item of items) {
    acc += share(item);
    if (u < acc) return item;
  }
  return items[items.length - 1];
}

/** MHLW's close contact (濃厚接触者) as numbers: the ground truth the rates are counted against. */
export const CLOSE_CONTACT = { distanceM: 1, minutes: 15, daysBeforeOnset: 2 } as const;

/**
 * MHLW's close contact (濃厚接触者): within about 1 m for 15 minutes or more, from two days before
 * onset (or the test, without symptoms) until isolation. ichiren's ground truth for every pair.
 */
export function isCloseContact(m: Meeting, positive: Positive): boolean {
  return (
    m.distanceM <= CLOSE_CONTACT.distanceM &&
    m.durationMin >= CLOSE_CONTACT.minutes &&
    m.day >= positive.onsetDay - CLOSE_CONTACT.daysBeforeOnset &&
    m.day <= positive.testDay
  );
}
