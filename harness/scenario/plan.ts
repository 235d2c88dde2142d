/**
 * A Plan: scenarios compiled into matrix cells of absolutely timed steps, plain serialisable data.
 * Phones' simulated clock lies in the past for contacts; uploads, publishes and checks run at real
 * now (architecture.md "Time").
 */
import type { UploadOutcome } from '../devices/apps/submission-outcome.js';
import type { DeviceProfile, EncounterSpec } from '../devices/types.js';
import type { ServerFaultMode } from '../faults/modes.js';
import type { ChainLinkName, Text } from '../runner/results.js';
import type { IntervalMethod } from '../runner/statistics.js';
import type { NotificationCount } from './notification-count.js';

export type NumberKind = 'issued' | 'wrong' | 'expired' | 'reused' | 'revoked';
export type HerSysFault = 'latency' | 'timeout' | '5xx' | '429' | 'malformed' | 'down' | 'clear';
/** Faults between this cell's phones and the notification server (harness/faults/server-proxy.ts). */
export type ServerFault = ServerFaultMode;

interface StepBase {
  /** Index in the scenario timeline (for messages). */
  readonly index: number;
  /** Simulated time of the step, Unix seconds. */
  readonly atEpochSeconds: number;
  /** The scenario's own words, e.g. "day -5 10:00". */
  readonly label: string;
}

export type PlannedStep =
  | (StepBase & { readonly kind: 'encounter'; readonly spec: EncounterSpec })
  | (StepBase & {
      readonly kind: 'diagnose';
      readonly patient: string;
      /** YYYY-MM-DD (JST). */
      readonly testDate: string;
      readonly symptomOnsetDate: string | null;
      readonly testType: 'PCR' | 'antigen';
      readonly via: 'api' | 'web-screen';
    })
  | (StepBase & {
      readonly kind: 'upload';
      readonly who: string;
      readonly number: NumberKind;
      /** The user's retry: made only when the app called the phone's last attempt retryable. */
      readonly retry?: 'if-retryable';
    })
  | (StepBase & { readonly kind: 'publish' })
  | (StepBase & { readonly kind: 'check'; readonly who: string; readonly forced: boolean })
  | (StepBase & {
      readonly kind: 'fault';
      readonly fault: HerSysFault;
      readonly calls?: number;
      readonly latencyMs?: number;
      /** Who meets it: the calls carrying this cell's numbers only, or every call (herSysFaultScope). */
      readonly scope: HerSysFaultScope;
    })
  | (StepBase & {
      readonly kind: 'server-fault';
      readonly fault: ServerFault;
      readonly calls?: number;
      readonly latencyMs?: number;
    });

/** The step moves the HER-SYS stub's clock past a number's expiry (and back). */
export const movesHerSysClock = (s: PlannedStep): boolean => s.kind === 'upload' && s.number === 'expired';

/** 'cell': the stub faults the calls carrying this cell's numbers only; 'stub': every call. */
export type HerSysFaultScope = 'cell' | 'stub';

/**
 * Who meets the HER-SYS fault at `index` of a cell's steps. A fault is set for the cell's own
 * numbers (stubs/hersys README, faults by number) when it can be: when every number the cell may
 * enter afterwards is known as it is set, so when no number is issued after it, and when it is not
 * `down`, which closes the stub's port to every caller. Otherwise every call meets it, and the cell
 * holds HER-SYS alone meanwhile (changesHerSys). A `clear` has the scope of the fault it clears.
 */
export function herSysFaultScope(
  steps: readonly { readonly kind: string; readonly fault?: string }[],
  index: number,
): HerSysFaultScope {
  const step = steps[index];
  if (step?.fault === 'clear') {
    const cleared = steps.slice(0, index).findLastIndex((s) => s.kind === 'fault' && s.fault !== 'clear');
    return cleared < 0 ? 'stub' : herSysFaultScope(steps, cleared);
  }
  if (step?.fault === 'down') return 'stub';
  return steps.slice(index + 1).some((s) => s.kind === 'diagnose') ? 'stub' : 'cell';
}

/**
 * The step changes what HER-SYS answers every cell (a stub-wide fault, or its clock moved): a cell
 * with one holds HER-SYS alone around it (runner/hersys-lock.ts).
 */
export const changesHerSys = (s: PlannedStep): boolean =>
  (s.kind === 'fault' && s.scope === 'stub') || movesHerSysClock(s);

export interface PlannedExpectation {
  readonly phone: string;
  /** 'any': recorded (e.g. a sweep point at the boundary), never failing; 'any' for a sender. */
  readonly notified: boolean | 'any';
  /** A sender expectation: what the app told the user at each upload of this phone, in order. */
  readonly upload?: readonly UploadOutcome[];
  /** Simulated time by which the notification must have come. */
  readonly byEpochSeconds?: number;
  readonly byLabel?: string;
  /** Links a negative expectation allows the chain to break at (scenario `brokenLink`). */
  readonly brokenLinks?: readonly ChainLinkName[];
  /**
   * How many notifications the receiver may be shown (scenario `notifications`); absent: at most one
   * per exposure episode (runner/notifications.ts).
   */
  readonly notifications?: NotificationCount;
  /** The exposure configuration the app must have used (schema CONFIGURATION_EXPECTATIONS). */
  readonly configuration?: 'served' | 'fallback';
  /** The receiving phone's own platform, app and OS: verdicts are counted on these. */
  readonly platform: 'android' | 'ios';
  readonly app: string;
  readonly osVersion: string;
}

export interface PlannedCell {
  /** e.g. "policy-1m-20min[android]". */
  readonly id: string;
  readonly scenarioId: string;
  readonly matrix: Readonly<Record<string, string>>;
  readonly seed: number;
  /** Platform and app of the first expected (receiving) phone. */
  readonly platform: 'android' | 'ios';
  readonly app: string;
  readonly phones: readonly DeviceProfile[];
  readonly steps: readonly PlannedStep[];
  readonly expectations: readonly PlannedExpectation[];
  /** Has a step that changes HER-SYS for every cell (changesHerSys): holds HER-SYS alone meanwhile. */
  readonly exclusive: boolean;
  /** Set when the cell is a point of a distance × duration sweep. */
  readonly sweep?: { readonly distanceM: number; readonly durationMin: number };
  /** Set when the scenario runs several trials: this cell is trial `index` (1-based) of `of`. */
  readonly trial?: { readonly index: number; readonly of: number; readonly baseId: string };
  /**
   * Set when a step lies after the scenario's now: the cell moves the run's clock, so it runs alone,
   * after the others, on a now of its own whole days later (runner/clock.ts).
   */
  readonly afterNow?: { readonly nowEpochSeconds: number };
}

/** How a scenario with `trials` is judged over them (harness/runner/trials.ts). */
export interface PlannedStatistics {
  readonly trials: number;
  /** Method of the 95 % interval shown beside each rate (the verdict is the exact test's). */
  readonly interval: IntervalMethod;
  /** `trials: auto`: the shortfall from a bound, or difference between platforms, to detect. */
  readonly gap?: number;
  /** How `trials` was chosen when it was `auto`: the level it was sized at (FAMILY_ALPHA / tests). */
  readonly auto?: { readonly level: number; readonly tests: number };
  /** Rate expectations: the phone's share of notified trials must meet the bound (">= 0.9"). */
  readonly rates: readonly { readonly phone: string; readonly bound: string }[];
  readonly differential?: 'platform';
}

export interface PlannedScenario {
  readonly id: string;
  readonly file: string;
  readonly title: Text;
  readonly purpose: Text;
  readonly tags: readonly string[];
  /** App traits every phone's app must have for the expectation to apply (scenario `requires`). */
  readonly requires: readonly string[];
  readonly cells: readonly PlannedCell[];
  /** Present when the scenario runs several trials. */
  readonly statistics?: PlannedStatistics;
}

export interface Plan {
  /** The scenarios' now, Unix seconds (anchor.ts): the run's clock moves to it before the first cell. */
  readonly nowEpochSeconds: number;
  /** The run's clock when compiled (`--now`, the machine's, or a deployed server's), Unix seconds. */
  readonly runClockEpochSeconds: number;
  readonly dayZero: string;
  readonly seed: number;
  readonly release: string;
  readonly scenarios: readonly PlannedScenario[];
}
