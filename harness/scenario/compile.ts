/**
 * Compiles loaded scenarios into a Plan for one release: phone defaults from the release, matrix
 * cells with their own seeds, relative times anchored to the run's clock (anchor.ts; architecture.md "Time").
 */
import { constantScans } from '../devices/scripted-scans.js';
import type { DeviceProfile } from '../devices/types.js';
import { scenarioNow } from './anchor.js';
import { sizeAutoTrials } from './auto-trials.js';
import { cellSeed } from './cell-seed.js';
import { ScenarioError, ScenarioErrors } from './errors.js';
import type { LoadedScenario } from './loader.js';
import { type NotificationCount, parseNotificationCount } from './notification-count.js';
import {
  changesHerSys,
  herSysFaultScope,
  type Plan,
  type PlannedCell,
  type PlannedExpectation,
  type PlannedScenario,
  type PlannedStatistics,
  type PlannedStep,
} from './plan.js';
import type { Release } from './release.js';
import { formatRelative, jstDate, jstMidnight, parseRelativeTime, type RelativeTime } from './time.js';

/** Keys older than this many days before now fall outside the server's window (cocoa.md §1.2, §3). */
export const KEY_WINDOW_DAYS = 14;

export interface CompileOptions {
  readonly release: Release;
  readonly seed: number;
  /** The run's clock, Unix seconds (`--now`, else real now); the scenarios' now is anchored from it. */
  readonly nowEpochSeconds: number;
  /**
   * The run's clock cannot be moved (a deployed server's): the scenarios' now is the run's clock
   * itself (cells with steps after it are then not applicable: runner/applicability.ts).
   */
  readonly fixedClock?: boolean;
  /** Override the app build of every phone (`--app`). */
  readonly app?: string;
  /** Keep only cells whose receiving platform is listed (`--platform`). */
  readonly platforms?: readonly ('android' | 'ios')[];
  /** Keep only scenarios/cells whose id, title or tags match (`--grep`). */
  readonly grep?: RegExp;
}

/** The scenario's trial statistics, from its first cell (trials and bounds are not matrix-dependent). */
function plannedStatistics(s: LoadedScenario): PlannedStatistics | undefined {
  const doc = s.cells[0]?.doc;
  if (!doc || (doc.trials !== 'auto' && (doc.trials ?? 1) < 2)) return undefined;
  return {
    // `auto` is sized once the whole plan is known (auto-trials.ts).
    trials: doc.trials === 'auto' ? 1 : (doc.trials ?? 1),
    interval: doc.statistics?.interval ?? 'clopper-pearson',
    ...(doc.statistics?.gap !== undefined ? { gap: doc.statistics.gap } : {}),
    rates: Object.entries(doc.expect).flatMap(([phone, e]) =>
      typeof e.notified === 'object' ? [{ phone, bound: e.notified.rate }] : [],
    ),
    ...(doc.differential ? { differential: doc.differential } : {}),
  };
}

/**
 * Days between the nows of cells that move the clock past theirs (steps after now reach day 1 at
 * most), and from the others' now to the first of them.
 */
export const AFTER_NOW_SPACING_DAYS = 2;

export function compilePlan(scenarios: readonly LoadedScenario[], options: CompileOptions): Plan {
  // The scenarios' now: a fixed point of the key day, whatever the hour of the run (anchor.ts).
  const now = options.fixedClock ? options.nowEpochSeconds : scenarioNow(options.nowEpochSeconds);
  // Times of today must not lie after now: shift day 0 back by whole days when a scenario names a
  // later time of today than now (keeps day boundaries intact). Days after today are after now.
  let shiftDays = 0;
  for (const s of scenarios) {
    for (const cell of s.cells) {
      for (const st of cell.doc.timeline) {
        const t = st.at ? parseRelativeTime(st.at) : null;
        if (t?.kind === 'day' && t.day <= 0) {
          const at =
            jstMidnight(now) +
            t.day * 86_400 +
            t.minutes * 60 +
            (st.encounter ? st.encounter.duration * 60 : 0);
          if (at > now) shiftDays = Math.max(shiftDays, Math.ceil((at - now) / 86_400));
        }
      }
    }
  }
  const day0 = jstMidnight(now) - shiftDays * 86_400;
  // A cell with steps after now runs on a now of its own, whole days after the others' (afterNow).
  let shift = 0;
  let afterNowCells = 0;
  const unshifted = (t: RelativeTime) =>
    t.kind === 'now' ? now + t.offsetMinutes * 60 : day0 + t.day * 86_400 + t.minutes * 60;
  const abs = (t: RelativeTime) => unshifted(t) + shift;
  const errors: ScenarioError[] = [];
  const planned: PlannedScenario[] = [];

  for (const s of scenarios) {
    const cells: PlannedCell[] = [];
    const scenarioMatches =
      !options.grep ||
      options.grep.test(s.id) ||
      options.grep.test(s.title.en) ||
      s.tags.some((t) => options.grep?.test(t));
    for (const cell of s.cells) {
      const doc = cell.doc;
      const vars = cell.matrix.vars;
      // Every scenario runs on both platforms unless it says otherwise (matrix platform: [android, ios]).
      const needsPlatformAxis =
        !('platform' in vars) && Object.values(doc.phones).some((p) => p.platform === undefined);
      const platforms: ('android' | 'ios')[] = needsPlatformAxis
        ? ['android', 'ios']
        : [vars.platform === 'ios' ? 'ios' : 'android'];
      for (const defaultPlatform of platforms) {
        const labels = needsPlatformAxis
          ? { ...cell.matrix.labels, platform: defaultPlatform }
          : cell.matrix.labels;
        // A scenario pinned to one platform without a matrix has no labels: its id is the scenario's.
        const values = Object.values(labels);
        const id = values.length > 0 ? `${s.id}[${values.join(',')}]` : s.id;
        if (!scenarioMatches && !options.grep?.test(id)) continue;
        const phones: DeviceProfile[] = Object.entries(doc.phones).map(([pid, p]) => {
          const platform = p.platform ?? defaultPlatform;
          const d = options.release.phones[platform];
          const app =
            options.app ??
            p.app ??
            (typeof vars.app === 'string' ? vars.app : undefined) ??
            options.release.apps[platform];
          return {
            id: pid,
            platform,
            osVersion: p.osVersion ?? d.osVersion,
            enVersion: p.enVersion ?? d.enVersion,
            model: p.model ?? d.model,
            app,
            backgroundCheckRuns: p.backgroundCheckRuns ?? true,
            clockSkewSeconds: p.clockSkewSeconds ?? 0,
            ...(p.hardware
              ? {
                  hardware: {
                    rssiOffsetDb: p.hardware.rssiOffset,
                    txPowerDbm: p.hardware.tx,
                    radiatedPowerDbm: p.hardware.radiatedPower,
                    sensitivityDbm: p.hardware.sensitivity,
                  },
                }
              : {}),
          };
        });
        const afterNowAt = doc.timeline.findIndex(
          (st) => unshifted(parseRelativeTime(st.at ?? 'now') as RelativeTime) > now,
        );
        if (afterNowAt >= 0) {
          const rel = parseRelativeTime(doc.timeline[afterNowAt]?.at ?? 'now') as RelativeTime;
          const where = `${s.id} timeline[${afterNowAt}].at`;
          // On a deployed server's clock such a cell is not applicable (runner/applicability.ts).
          const problem =
            (rel.kind === 'day' && rel.day > 1) || (rel.kind === 'now' && rel.offsetMinutes > 24 * 60)
              ? 'lies too far after now: steps after now reach day 1 or now +24h at most'
              : doc.trials === 'auto' || (doc.trials ?? 1) > 1
                ? 'lies after now, which a scenario with trials cannot do (each trial would move the clock)'
                : undefined;
          if (problem) errors.push(new ScenarioError(s.file, s.line, 1, `${where} ${problem}`));
        }
        // Never the others' now itself: the clock has run on while they ran (runner/clock.ts).
        shift = afterNowAt >= 0 ? ++afterNowCells * AFTER_NOW_SPACING_DAYS * 86_400 : 0;
        const steps: PlannedStep[] = [];
        // What herSysFaultScope looks at: where numbers are issued and HER-SYS faults set.
        const herSysSteps = doc.timeline.map((st) => ({
          kind: st.diagnose ? 'diagnose' : st.fault?.hersys ? 'fault' : 'other',
          fault: st.fault?.hersys,
        }));
        const diagnosed = new Set<string>();
        let uploadedOk = false;
        doc.timeline.forEach((st, index) => {
          const rel = parseRelativeTime(st.at ?? 'now') as RelativeTime;
          const base = { index, atEpochSeconds: abs(rel), label: formatRelative(rel) };
          const where = `${s.id} timeline[${index}]`;
          if (st.encounter) {
            const e = st.encounter;
            if (rel.kind === 'day' && rel.day < -(KEY_WINDOW_DAYS - 1)) {
              errors.push(
                new ScenarioError(
                  s.file,
                  s.line,
                  1,
                  `${s.id} timeline[${index}].at must be within the server's ${KEY_WINDOW_DAYS}-day key window (day -${KEY_WINDOW_DAYS - 1} or later)`,
                ),
              );
            }
            steps.push({
              ...base,
              kind: 'encounter',
              spec: {
                a: e.a,
                b: e.b,
                startEpochSeconds: base.atEpochSeconds,
                durationSeconds: Math.round(e.duration * 60),
                // Exact radio has no distance; 0 keeps the field numeric for sweeps and reports.
                distanceM: e.distance ?? 0,
                environment: e.environment,
                bodyShadowingDb: e.bodyShadowing,
                ...(e.attenuation === undefined
                  ? {}
                  : {
                      scripted: {
                        attenuationsDb: Array.isArray(e.attenuation)
                          ? e.attenuation
                          : constantScans(e.attenuation, Math.round(e.duration * 60), e.scanInterval),
                        scanIntervalSeconds: e.scanInterval,
                      },
                    }),
              },
            });
          } else if (st.diagnose) {
            const d = st.diagnose;
            const date = (x: string) => jstDate(abs(parseRelativeTime(x) as RelativeTime));
            diagnosed.add(d.patient);
            steps.push({
              ...base,
              kind: 'diagnose',
              patient: d.patient,
              testDate: date(d.testDate),
              symptomOnsetDate: d.symptomOnset ? date(d.symptomOnset) : null,
              testType: d.testType,
              via: d.via,
            });
          } else if (st.upload) {
            const u = st.upload;
            if (u.number !== 'wrong' && !diagnosed.has(u.who) && !(u.number === 'reused' && uploadedOk)) {
              errors.push(
                new ScenarioError(
                  s.file,
                  s.line,
                  1,
                  `${where}.upload.who must be a phone diagnosed earlier in the timeline ("${u.who}" is not)`,
                ),
              );
            }
            if (u.number === 'reused' && !uploadedOk) {
              errors.push(
                new ScenarioError(
                  s.file,
                  s.line,
                  1,
                  `${where}.upload.number "reused" must follow an earlier upload with the number`,
                ),
              );
            }
            if (u.retry && !doc.timeline.slice(0, index).some((x) => x.upload?.who === u.who))
              errors.push(
                new ScenarioError(
                  s.file,
                  s.line,
                  1,
                  `${where}.upload.retry must follow an earlier upload by "${u.who}" (a retry repeats it)`,
                ),
              );
            if (u.number === 'issued') uploadedOk = true;
            steps.push({
              ...base,
              kind: 'upload',
              who: u.who,
              number: u.number,
              ...(u.retry ? { retry: u.retry } : {}),
            });
          } else if (st.publish !== undefined) {
            steps.push({ ...base, kind: 'publish' });
          } else if (st.check) {
            steps.push({ ...base, kind: 'check', who: st.check.who, forced: st.check.schedule !== 'own' });
          } else if (st.fault?.server) {
            // Scoped to this cell's phones by the fault proxy: other cells run on beside it.
            steps.push({
              ...base,
              kind: 'server-fault',
              fault: st.fault.server,
              calls: st.fault.calls,
              latencyMs: st.fault.latencyMs,
            });
          } else if (st.fault?.hersys) {
            // HER-SYS is shared by every cell: a fault for this cell's numbers only where it can be,
            // else the cell holds HER-SYS alone meanwhile (herSysFaultScope, changesHerSys).
            steps.push({
              ...base,
              kind: 'fault',
              fault: st.fault.hersys,
              calls: st.fault.calls,
              latencyMs: st.fault.latencyMs,
              scope: herSysFaultScope(herSysSteps, index),
            });
          }
        });
        const expectations: PlannedExpectation[] = Object.entries(doc.expect).map(([phone, e]) => {
          const by = e.by ? (parseRelativeTime(e.by) as RelativeTime) : undefined;
          const p = phones.find((x) => x.id === phone) as DeviceProfile;
          return {
            phone,
            // A rate is judged over the trials (runner/trials.ts); each trial only records.
            notified: typeof e.notified === 'object' || e.notified === undefined ? 'any' : e.notified,
            ...(e.upload ? { upload: e.upload } : {}),
            ...(by ? { byEpochSeconds: abs(by), byLabel: formatRelative(by) } : {}),
            ...(e.brokenLink ? { brokenLinks: [e.brokenLink].flat() } : {}),
            ...(e.configuration ? { configuration: e.configuration } : {}),
            ...(e.notifications !== undefined
              ? { notifications: parseNotificationCount(e.notifications) as NotificationCount }
              : {}),
            platform: p.platform,
            app: p.app,
            osVersion: p.osVersion,
          };
        });
        // The cell's platform is its first receiver's (a sender expectation names no receiver).
        const first = expectations.find((e) => e.upload === undefined) ?? expectations[0];
        const receiver = phones.find((p) => p.id === first?.phone) ?? (phones[0] as DeviceProfile);
        if (options.platforms && !options.platforms.includes(receiver.platform)) continue;
        const encounters = steps.filter((x) => x.kind === 'encounter');
        const sweep =
          'distance' in vars &&
          'duration' in vars &&
          encounters.length === 1 &&
          encounters[0]?.kind === 'encounter'
            ? {
                distanceM: encounters[0].spec.distanceM,
                durationMin: encounters[0].spec.durationSeconds / 60,
              }
            : undefined;
        // `auto`: one trial for now, copied to the sized count once the plan is known (auto-trials.ts).
        const trials = doc.trials === 'auto' ? 1 : (doc.trials ?? 1);
        const trialled = doc.trials === 'auto' || trials > 1;
        for (let t = 1; t <= trials; t++) {
          const trialId = trialled ? `${id}#${t}` : id;
          cells.push({
            id: trialId,
            scenarioId: s.id,
            matrix: labels,
            seed: cellSeed(options.seed, trialId),
            platform: receiver.platform,
            app: receiver.app,
            phones,
            steps,
            expectations,
            exclusive: steps.some(changesHerSys),
            ...(sweep ? { sweep } : {}),
            ...(trialled ? { trial: { index: t, of: trials, baseId: id } } : {}),
            ...(afterNowAt >= 0 ? { afterNow: { nowEpochSeconds: now + shift } } : {}),
          });
        }
      }
    }
    const statistics = plannedStatistics(s);
    if (cells.length > 0)
      planned.push({
        id: s.id,
        file: s.file,
        title: s.title,
        purpose: s.purpose,
        tags: s.tags,
        requires: s.requires,
        cells,
        ...(statistics ? { statistics } : {}),
      });
  }
  if (errors.length > 0) {
    const seen = new Set<string>();
    throw new ScenarioErrors(
      errors.filter((e) => {
        if (seen.has(e.message)) return false;
        seen.add(e.message);
        return true;
      }),
    );
  }
  const lines = new Map(scenarios.map((s) => [s.id, s.line]));
  const sized = sizeAutoTrials(planned, options.seed, (id) => lines.get(id) ?? 1);
  return {
    nowEpochSeconds: now,
    runClockEpochSeconds: options.nowEpochSeconds,
    dayZero: jstDate(day0),
    seed: options.seed,
    release: options.release.name,
    scenarios: sized,
  };
}

export { cellSeed };
