/**
 * A population through the real chain, day by day: registered positives' phones broadcast their real
 * keys at every meeting (radio model → receivers' sightings), get a processing number from the HER-SYS
 * stub and upload through their app build to the server under test; the server's export batch runs;
 * every receiving cohort (platform × OS × app) downloads list.json and the new files over HTTP and its
 * framework verifies them; each receiver's framework matches and scores its own sightings and its app
 * decides. Cost model (README): RPIs are derived once per published key into one shared index; a
 * receiver is matched only against the keys whose RPIs it recorded (any other key cannot match it).
 */

import { presentNotification } from '../devices/apps/notification.js';
import { type Calibration, loadCalibrationTable, lookupCalibration } from '../devices/calibration/index.js';
import { fastRpik, fastRpis } from '../devices/framework/fast-derive.js';
import {
  type DownloadedKey,
  detectV1FromKeys,
  detectV2FromKeys,
  readDiagnosisFiles,
} from '../devices/framework/index.js';
import {
  type AppBuild,
  type AppConfiguration,
  appHttp,
  detectionPath,
  fetchBytes,
  listJsonUrl,
  loadAppBuild,
  seededBytes,
  seededRng,
  simulateLink,
  trueHardware,
  World,
} from '../devices/index.js';
import type { Phone } from '../devices/phone.js';
import type { Sighting } from '../devices/sighting.js';
import type { Platform } from '../devices/types.js';
import { enIntervalNumber } from '../protocol/interval.js';
import { isNetworkError } from '../stack/http-client.js';
import type { StartedStack } from '../stack/types.js';
import { populationClock } from './clock.js';
import { isCloseContact, type Meeting, Population, type Positive } from './model.js';
import type { PopulationParams } from './params.js';
import {
  type CohortCounts,
  cohortKey,
  type DayCounts,
  emptyLost,
  POPULATION_LINKS,
  type PopulationCounts,
  type PopulationLink,
  sortCohorts,
  sortDays,
} from './results.js';
import { addToSweep, notifyingThreshold, type SweepCounts, sortSweep } from './sweep.js';
import { effectiveThreshold, type ProbeKey } from './threshold.js';

/** The HER-SYS stub's control interface, as far as a population needs it. */
export interface PatientRegistry {
  registerPatient(req: {
    testDate: string;
    symptomOnsetDate: string | null;
  }): Promise<{ processingNumber: string }>;
}

export interface PopulationChainInput {
  readonly params: PopulationParams;
  readonly apps: Readonly<Record<Platform, string>>;
  readonly stack: StartedStack;
  readonly hersys: PatientRegistry;
  readonly nowEpochSeconds: number;
  readonly shard?: { readonly index: number; readonly count: number };
  /** Whole-dB range of the what-if over the threshold (sweep.ts); none without it. */
  readonly sweepThresholdDb?: readonly [number, number];
  /** Progress after each day (terminal). */
  readonly onDay?: (day: number, line: string) => void;
}

interface CloseWindow {
  readonly from: number;
  readonly to: number;
}

/** What one receiver experienced of one registered positive. */
interface PairState {
  close: boolean;
  firstCloseDay: number;
  closeWindows: CloseWindow[];
  closeSightings: number;
}

interface ReceiverState {
  readonly phone: number;
  readonly cohort: string;
  readonly sightings: Sighting[];
  readonly rpis: Set<string>;
  readonly senders: Map<number, PairState>;
  readonly matchedKeys: Set<string>;
  /** Keys matched at a check whose score passed the app's threshold. */
  readonly scoredKeys: Set<string>;
  /** Per matched key, the smallest what-if threshold that notifies (sweep.ts). */
  readonly sweepKeys: Map<string, number>;
  notifiedDay: number | null;
}

interface Cohort {
  readonly key: string;
  readonly platform: Platform;
  readonly osVersion: string;
  readonly enVersion: 1 | 2;
  readonly app: AppBuild;
  readonly appId: string;
  readonly path: 'v1' | 'v2' | 'none';
  config?: AppConfiguration;
  lastCreated: number;
  readonly downloadedKeys: Set<string>;
  readonly receivers: ReceiverState[];
}

interface UploadOutcome {
  readonly ok: boolean;
  readonly keys: readonly { readonly keyHex: string; readonly from: number; readonly to: number }[];
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Runs the population through the chain and returns its counts (shard: only its receivers). */
export async function runPopulationChain(input: PopulationChainInput): Promise<PopulationCounts> {
  const { params, stack, shard } = input;
  const clock = populationClock(params.days, input.nowEpochSeconds);
  const pop = new Population(params, input.apps);
  const positives = pop.positives();
  const uploaders = positives.filter((p) => p.uploadDay !== null);
  const inShard = (i: number) => !shard || i % shard.count === shard.index;

  const table = loadCalibrationTable();
  const calibrationOf = memo((model: string): Calibration => lookupCalibration(table, { model }));
  const appOf = memo((id: string) => loadAppBuild(id));
  const world = new World({ seed: params.seed, calibration: table });
  const senders = new Map<number, Phone>();
  for (const u of uploaders) {
    const t = pop.phone(u.phone);
    senders.set(
      u.phone,
      world.addPhone({ id: `p${u.phone}`, ...t, backgroundCheckRuns: true, clockSkewSeconds: 0 }),
    );
  }

  const receivers = new Map<number, ReceiverState>();
  const cohorts = new Map<string, Cohort>();
  const counts: PopulationCounts = {
    phones: params.phones,
    positives: positives.length,
    uploaders: uploaders.length,
    uploadsAccepted: 0,
    uploadsRefused: 0,
    receiversInShard: 0,
    meetingsSimulated: 0,
    sightings: 0,
    exportFiles: 0,
    exportedKeys: 0,
    cohorts: [],
    days: [],
    thresholds: [],
  };
  for (let i = 0; i < params.phones; i++) if (inShard(i)) counts.receiversInShard++;

  async function receiver(i: number): Promise<ReceiverState> {
    let r = receivers.get(i);
    if (r) return r;
    const t = pop.phone(i);
    const app = await appOf(t.app);
    const profile = { id: `p${i}`, ...t, backgroundCheckRuns: true, clockSkewSeconds: 0 };
    const path = detectionPath(profile, app.enApi);
    const key = cohortKey({ platform: t.platform, osVersion: t.osVersion, app: t.app, path });
    let cohort = cohorts.get(key);
    if (!cohort) {
      cohort = {
        key,
        platform: t.platform,
        osVersion: t.osVersion,
        enVersion: t.enVersion,
        app,
        appId: t.app,
        path,
        lastCreated: 0,
        downloadedKeys: new Set(),
        receivers: [],
      };
      cohorts.set(key, cohort);
    }
    r = {
      phone: i,
      cohort: key,
      sightings: [],
      rpis: new Set(),
      senders: new Map(),
      matchedKeys: new Set(),
      scoredKeys: new Set(),
      sweepKeys: new Map(),
      notifiedDay: null,
    };
    cohort.receivers.push(r);
    receivers.set(i, r);
    return r;
  }

  /** The sender's advertisements heard by the receiver's scanner (radio model, seeded per pair and day). */
  async function meet(m: Meeting, positive: Positive): Promise<void> {
    const sender = senders.get(m.sender) as Phone;
    const r = await receiver(m.receiver);
    const t = pop.phone(m.receiver);
    const start = clock.jstDayStart(m.day) + m.startMinuteJst * 60;
    const rxCalibration = calibrationOf(t.model);
    const rxHardware = trueHardware(t.platform, rxCalibration);
    const { sightings } = simulateLink(
      {
        advertisementAt: (s) => sender.framework.advertisementAt(s),
        advertisedTxPower: sender.calibration.txPower,
        trueTxPower: sender.hardware.txPowerDbm,
        radiatedPowerDbm: sender.hardware.radiatedPowerDbm,
        clockSkewSeconds: 0,
      },
      {
        platform: t.platform,
        rssiCorrection: rxCalibration.rssiCorrection,
        trueRssiOffset: rxHardware.rssiOffsetDb,
        sensitivityDbm: rxHardware.sensitivityDbm,
        clockSkewSeconds: 0,
      },
      {
        startEpochSeconds: start,
        durationSeconds: m.durationMin * 60,
        distanceM: m.distanceM,
        environment: m.environment,
        bodyShadowingDb: 0,
      },
      seededRng(`population:${params.seed}:${m.day}:${m.setting}:${m.sender}->${m.receiver}`),
    );
    counts.meetingsSimulated++;
    counts.sightings += sightings.length;
    for (const s of sightings) {
      r.sightings.push(s);
      r.rpis.add(hex(s.rpi));
    }
    let pair = r.senders.get(m.sender);
    if (!pair) {
      pair = { close: false, firstCloseDay: -1, closeWindows: [], closeSightings: 0 };
      r.senders.set(m.sender, pair);
    }
    if (isCloseContact(m, positive)) {
      if (!pair.close) pair.firstCloseDay = m.day;
      pair.close = true;
      pair.closeWindows.push({ from: start, to: start + m.durationMin * 60 });
      pair.closeSightings += sightings.length;
    }
  }

  const uploads = new Map<number, UploadOutcome>();
  async function upload(u: Positive, day: number): Promise<void> {
    const phone = senders.get(u.phone) as Phone;
    const { processingNumber } = await retryOnNetworkError(() =>
      input.hersys.registerPatient({
        testDate: clock.date(u.testDay),
        symptomOnsetDate: clock.date(u.onsetDay),
      }),
    );
    const request = {
      processingNumber,
      nowEpochSeconds: clock.uploadAt(day),
      diagnosisDate: clock.date(u.onsetDay),
      hasSymptom: true,
      server: stack.server,
    };
    let evidence = await phone.uploadDiagnosis(request);
    // No HTTP answer at all (a kept-alive connection the server had closed): the user taps "send" again.
    for (let retry = 0; retry < 2 && evidence.httpStatus === null; retry++)
      evidence = await phone.uploadDiagnosis(request);
    if (evidence.ok) counts.uploadsAccepted++;
    else counts.uploadsRefused++;
    uploads.set(u.phone, {
      ok: evidence.ok,
      keys: (evidence.submittedKeys ?? []).map((k) => ({
        keyHex: k.keyHex,
        from: k.rollingStartIntervalNumber,
        to: k.rollingStartIntervalNumber + k.rollingPeriod,
      })),
    });
  }

  // The observer's view of what was published (list.json and the files themselves, over HTTP).
  const published = new Set<string>();
  const probeKeys = new ProbeKeyTally();
  let observerLast = 0;
  const http = appHttp(stack.server);
  async function fetchNew(since: number): Promise<{ files: Uint8Array[]; newest: number }> {
    const url = listJsonUrl(stack.server);
    const res = await retryOnNetworkError(() => http.request('GET', url));
    if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
    const entries = JSON.parse(res.text) as { url: string; created: number }[];
    const fresh = entries.filter((e) => e.created > since);
    const files: Uint8Array[] = [];
    for (const e of fresh) {
      const got = await retryOnNetworkError(() => fetchBytes(stack.server, e.url));
      if (got.status !== 200) throw new Error(`GET ${e.url}: HTTP ${got.status}`);
      files.push(got.bytes);
    }
    return { files, newest: fresh.reduce((m, e) => Math.max(m, e.created), since) };
  }

  // Shared RPI index: RPI hex → the published key it belongs to, derived once per key.
  const rpiIndex = new Map<string, DownloadedKey>();
  const indexed = new Set<string>();
  function indexKeys(keys: readonly DownloadedKey[]): void {
    for (const k of keys) {
      const kh = hex(k.keyData);
      if (indexed.has(kh)) continue;
      indexed.add(kh);
      const rpis = fastRpis(fastRpik(k.keyData), k.rollingStartIntervalNumber);
      for (let j = 0; j < k.rollingPeriod; j++)
        rpiIndex.set(rpis.subarray(j * 16, j * 16 + 16).toString('hex'), k);
    }
  }

  async function check(cohort: Cohort, day: number): Promise<void> {
    if (cohort.path === 'none') return;
    cohort.config ??= await retryOnNetworkError(() => cohort.app.fetchConfiguration(stack.server, http));
    const { files, newest } = await fetchNew(cohort.lastCreated);
    const read = readDiagnosisFiles(files, stack.server.verificationKeys);
    if (read.report.filesRejected === 0) cohort.lastCreated = newest;
    for (const k of read.keys) cohort.downloadedKeys.add(hex(k.keyData));
    indexKeys(read.keys);
    const fresh = new Set(read.keys.map((k) => hex(k.keyData)));
    const now = clock.checkAt(day);
    const config = cohort.config;
    for (const r of cohort.receivers) {
      const candidates = new Map<string, DownloadedKey>();
      for (const rpi of r.rpis) {
        const k = rpiIndex.get(rpi);
        if (k && fresh.has(hex(k.keyData))) candidates.set(hex(k.keyData), k);
      }
      // No RPI of a newly downloaded key was recorded: nothing can match, the app stays as it was.
      if (candidates.size === 0) continue;
      const keys = [...candidates.values()];
      const output =
        cohort.path === 'v2'
          ? detectV2FromKeys({
              platform: cohort.platform,
              keys,
              sightings: r.sightings,
              nowEpochSeconds: now,
              mapping: requireV2(config).mapping[cohort.platform],
              configuration:
                cohort.platform === 'android' ? requireV2(config).android : requireV2(config).ios,
              random: seededBytes(`population:${params.seed}:check:${r.phone}:${day}`),
            })
          : detectV1FromKeys({
              platform: cohort.platform,
              keys,
              sightings: r.sightings,
              nowEpochSeconds: now,
              configuration: config.v1[cohort.platform],
            });
      const decision = cohort.app.decide(output, config, now);
      const sweepAt = input.sweepThresholdDb ? notifyingThreshold(output) : Number.POSITIVE_INFINITY;
      for (const mk of output.matchedKeys) {
        r.matchedKeys.add(mk.keyHex);
        if (decision.passed) r.scoredKeys.add(mk.keyHex);
        if (sweepAt < (r.sweepKeys.get(mk.keyHex) ?? Number.POSITIVE_INFINITY))
          r.sweepKeys.set(mk.keyHex, sweepAt);
      }
      // What the user sees, observed apart from the decision (apps/notification.ts).
      const shown = (cohort.app.present ?? presentNotification)(decision, decision.stored, now).shown;
      if (shown && r.notifiedDay === null) r.notifiedDay = day;
    }
  }

  for (let day = 0; day < params.days; day++) {
    for (const u of uploaders) {
      if (day > u.testDay) continue; // isolated after the test
      for (const m of pop.meetingsOf(u.phone, day)) if (inShard(m.receiver)) await meet(m, u);
    }
    pop.forgetBefore(day);
    await pool(
      uploaders.filter((u) => u.uploadDay === day),
      8,
      (u) => upload(u, day),
    );
    const outcome = await stack.publish();
    if (!outcome.ok) throw new Error(`day ${day}: the export batch failed: ${outcome.detail}`);
    const observed = await fetchNew(observerLast);
    observerLast = observed.newest;
    const read = readDiagnosisFiles(observed.files, stack.server.verificationKeys);
    counts.exportFiles += read.report.filesAccepted;
    counts.exportedKeys += read.keys.length;
    for (const k of read.keys) {
      published.add(hex(k.keyData));
      probeKeys.add(k);
    }
    for (const cohort of cohorts.values()) await check(cohort, day);
    input.onDay?.(
      day,
      `day ${day + 1}/${params.days} (${clock.date(day)}): ${counts.uploadsAccepted} uploads, ${counts.exportedKeys} keys published, ${counts.meetingsSimulated} meetings, ${[...receivers.values()].filter((r) => r.notifiedDay !== null).length} notified`,
    );
  }

  // Each receiver: the furthest link reached along any of its close senders' keys.
  const cohortCounts = new Map<string, CohortCounts>();
  const dayCounts = new Map<string, DayCounts>();
  const sweep = new Map<string, SweepCounts>();
  const sweepAt = (r: ReceiverState, keys: Iterable<string>) => {
    let t = Number.POSITIVE_INFINITY;
    for (const k of keys) t = Math.min(t, r.sweepKeys.get(k) ?? Number.POSITIVE_INFINITY);
    return t;
  };
  for (const r of receivers.values()) {
    const cohort = cohorts.get(r.cohort) as Cohort;
    const cc =
      cohortCounts.get(cohort.key) ??
      ({
        platform: cohort.platform,
        osVersion: cohort.osVersion,
        app: cohort.appId,
        path: cohort.path,
        closeContacts: 0,
        notifiedClose: 0,
        nonCloseContacts: 0,
        falseAlarms: 0,
        lostAt: emptyLost(),
      } satisfies CohortCounts);
    cohortCounts.set(cohort.key, cc);
    const close = [...r.senders.entries()].filter(([, p]) => p.close);
    if (close.length === 0) {
      cc.nonCloseContacts++;
      if (r.notifiedDay !== null) cc.falseAlarms++;
      if (input.sweepThresholdDb && cohort.path !== 'none')
        addToSweep(sweep, input.sweepThresholdDb, cohort.platform, false, sweepAt(r, r.sweepKeys.keys()));
      continue;
    }
    cc.closeContacts++;
    const reached = Math.max(
      ...close.map(([sender, pair]) => linksHeld(pair, uploads.get(sender), published, cohort, r)),
    );
    if (reached === POPULATION_LINKS.length) cc.notifiedClose++;
    else cc.lostAt[POPULATION_LINKS[reached] as PopulationLink]++;
    if (input.sweepThresholdDb && cohort.path !== 'none') {
      // As for the run's own count: only the keys of its close senders.
      const keys = close.flatMap(([sender]) => (uploads.get(sender)?.keys ?? []).map((k) => k.keyHex));
      addToSweep(sweep, input.sweepThresholdDb, cohort.platform, true, sweepAt(r, keys));
    }
    const firstDay = Math.min(...close.map(([, p]) => p.firstCloseDay));
    const dk = `${firstDay}|${cohort.platform}`;
    const dc = dayCounts.get(dk) ?? {
      day: firstDay,
      date: clock.date(firstDay),
      platform: cohort.platform,
      closeContacts: 0,
      notified: 0,
    };
    dc.closeContacts++;
    if (reached === POPULATION_LINKS.length) dc.notified++;
    dayCounts.set(dk, dc);
  }
  counts.cohorts = sortCohorts([...cohortCounts.values()]);
  counts.days = sortDays([...dayCounts.values()]);
  if (input.sweepThresholdDb) counts.sweep = sortSweep([...sweep.values()]);
  const probe = probeKeys.typical();
  counts.thresholds = [];
  for (const c of cohorts.values())
    if (c.path !== 'none' && c.config && probe)
      counts.thresholds.push(
        effectiveThreshold({
          platform: c.platform,
          path: c.path,
          app: c.app,
          config: c.config,
          key: probe,
          dayStart: clock.jstDayStart(0) - (clock.jstDayStart(0) % 86_400),
          osVersion: c.osVersion,
          appId: c.appId,
        }),
      );
  sortCohorts(counts.thresholds);
  return counts;
}

/**
 * The key the threshold probe carries: the transmission risk level and report type the server
 * published most often, at symptom onset (days since onset 0) when the keys carry that field.
 */
class ProbeKeyTally {
  private readonly seen = new Map<string, number>();
  private withOnset = false;
  add(k: DownloadedKey): void {
    const id = `${k.transmissionRiskLevel ?? 0}|${k.reportType ?? 0}`;
    this.seen.set(id, (this.seen.get(id) ?? 0) + 1);
    if (k.daysSinceOnsetOfSymptoms !== undefined) this.withOnset = true;
  }
  typical(): ProbeKey | null {
    let best: [string, number] | null = null;
    for (const e of this.seen)
      if (best === null || e[1] > best[1] || (e[1] === best[1] && e[0] < best[0])) best = e;
    if (!best) return null;
    const [trl, reportType] = best[0].split('|').map(Number);
    return {
      transmissionRiskLevel: trl,
      reportType,
      ...(this.withOnset ? { daysSinceOnsetOfSymptoms: 0 } : {}),
    };
  }
}

/**
 * How many links held, in order, for one close pair: contact (sightings in a close meeting), upload
 * (a submitted key covering a close meeting, accepted), publish (in a listed, verified export),
 * download (the receiver's cohort verified a file holding it), match, score, notify.
 */
function linksHeld(
  pair: PairState,
  upload: UploadOutcome | undefined,
  published: ReadonlySet<string>,
  cohort: Cohort,
  r: ReceiverState,
): number {
  if (pair.closeSightings === 0) return 0;
  const covering = (upload?.ok ? upload.keys : []).filter((k) =>
    pair.closeWindows.some(
      (w) => enIntervalNumber(w.from) < k.to && enIntervalNumber(Math.max(w.from, w.to - 1)) >= k.from,
    ),
  );
  if (covering.length === 0) return 1;
  const inExport = covering.filter((k) => published.has(k.keyHex));
  if (inExport.length === 0) return 2;
  const downloaded = inExport.filter((k) => cohort.downloadedKeys.has(k.keyHex));
  if (downloaded.length === 0) return 3;
  if (!downloaded.some((k) => r.matchedKeys.has(k.keyHex))) return 4;
  if (!downloaded.some((k) => r.scoredKeys.has(k.keyHex))) return 5;
  if (r.notifiedDay === null) return 6;
  return 7;
}

function requireV2(config: AppConfiguration): NonNullable<AppConfiguration['v2']> {
  if (!config.v2) throw new Error('the app fetched no EN v2 configuration');
  return config.v2;
}

function memo<A, R>(f: (a: A) => R): (a: A) => R {
  const cache = new Map<A, R>();
  return (a) => {
    if (!cache.has(a)) cache.set(a, f(a));
    return cache.get(a) as R;
  };
}

/**
 * A request that got no answer (a kept-alive connection the other side had just closed, common on a
 * loaded machine) is sent again, at most twice; any HTTP answer is final.
 */
async function retryOnNetworkError<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (attempt >= 2 || !isNetworkError(e)) throw e;
    }
  }
}

/** Runs `work` over items with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
