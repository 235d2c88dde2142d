/**
 * A run as plain, serialisable data: what the runner produces and every reporter reads
 * (`reports/results.json` is exactly `RunResult`). Reporters never reach into running components.
 */

import type { ModelDraw } from '../devices/framework/types.js';
/** The eight links of the chain, in order (design/architecture.md "The chain links"). */
export const CHAIN_LINKS = [
  'contact',
  'diagnosis',
  'upload',
  'publish',
  'download',
  'match',
  'score',
  'notify',
] as const;
export type ChainLinkName = (typeof CHAIN_LINKS)[number];

/**
 * passed: the link did what the scenario expected; failed: it did not; skipped: an earlier link broke
 * or the scenario does not exercise it; expected-failure: a negative scenario required it to fail and it did.
 */
export type LinkStatus = 'passed' | 'failed' | 'skipped' | 'expected-failure';

/** Bilingual text: every message a ministry reader may see exists in Japanese and English. */
export interface Text {
  readonly ja: string;
  readonly en: string;
}

export interface LinkResult {
  readonly name: ChainLinkName;
  readonly status: LinkStatus;
  /** One line of evidence, e.g. "highest risk 0 < minimum 21" — English, stable, for JUnit and logs. */
  readonly detail: string;
  /** The same evidence for people, in both languages. */
  readonly text: Text;
  /** Machine-readable evidence (numbers the link was judged on). */
  readonly evidence?: Readonly<Record<string, unknown>>;
  /**
   * On a failed link: true when the link itself held and the failure is that an expected break
   * did not happen ("upload held; expected a break here").
   */
  readonly held?: boolean;
}

/** The chain as seen by one receiving phone. */
export interface PhoneChain {
  readonly phone: string;
  readonly platform: 'android' | 'ios';
  readonly app: string;
  /** The receiving phone's OS version, e.g. "14.4". */
  readonly osVersion: string;
  /**
   * The Exposure Notification API its exposure checks went through, from the score evidence: 'v2'
   * (ExposureWindows) or 'v1' (a 1.x app, or a 2.x app on an OS without windows). Absent when no
   * check ran.
   */
  readonly enPath?: 'v1' | 'v2';
  /** The phone it met whose chain is shown (the one that got furthest); null when it met nobody. */
  readonly sender: string | null;
  /** What the scenario expected: notified or not. */
  readonly expectedNotified: boolean;
  /** Links a negative expectation allows the chain to break at (empty for a positive one). */
  readonly expectedBrokenLinks: readonly ChainLinkName[];
  /**
   * Set for a sender expectation (`upload: retryable`): the outcomes the app was to tell the user at
   * this phone's uploads, in order; its chain judges the upload link only.
   */
  readonly expectedUpload?: readonly ('accepted' | 'rejected' | 'retryable')[];
  readonly notified: boolean;
  /** Notifications the phone showed over the cell (one per check at most), as the user saw them. */
  readonly notifications?: number;
  /** What the scenario allowed, e.g. "<= 1" (default: one per exposure day) or "= 1". */
  readonly allowedNotifications?: string;
  readonly links: readonly LinkResult[];
  /** First link whose status is 'failed', or null. */
  readonly firstBrokenLink: ChainLinkName | null;
}

export type CellStatus = 'passed' | 'failed' | 'error' | 'timedout';

/** Timeline events as they happened, for the report's picture of the scenario. */
export interface TimelineEvent {
  readonly kind: 'encounter' | 'diagnosis' | 'upload' | 'publish' | 'check' | 'fault';
  /** Simulated time of the event, ISO 8601. */
  readonly at: string;
  /** Same, relative to the scenario's day 0 (e.g. "day -5 10:00"). */
  readonly label: string;
  readonly phones: readonly string[];
  readonly detail: string;
}

/** One matrix cell of a scenario: e.g. receiver platform × app build. */
export interface CellResult {
  /** Stable id, e.g. "policy-1m-20min[android,cocoa-1.2.2]". */
  readonly id: string;
  /** Values of the matrix axes for this cell (e.g. { platform: 'android', app: 'cocoa-1.2.2' }). */
  readonly matrix: Readonly<Record<string, string>>;
  /** Platform of the cell's first receiving phone (each phone's own is in `phones`). */
  readonly platform: 'android' | 'ios';
  /** App build of the cell's first receiving phone. */
  readonly app: string;
  readonly status: CellStatus;
  /** Cell-level chain: the first receiving phone's links, for readers who want one row per cell. */
  readonly links: readonly LinkResult[];
  readonly firstBrokenLink: ChainLinkName | null;
  /** One chain per receiving phone. */
  readonly phones: readonly PhoneChain[];
  readonly timeline: readonly TimelineEvent[];
  /** Failure messages (expectation not met, step deadline, server error), English. */
  readonly errors: readonly string[];
  readonly durationMs: number;
  readonly seed: number;
  /**
   * Draws of the seed that could move this cell's verdict (devices/framework/types.ts ModelDraw);
   * absent when the seed moved only identities (keys, GUIDs, processing numbers).
   */
  readonly draws?: readonly ModelDraw[];
}

/** A distance × duration sweep: one point per cell, for the policy map (1 m / 15 min). */
export interface SweepPoint {
  readonly platform: 'android' | 'ios';
  readonly app: string;
  readonly distanceM: number;
  readonly durationMin: number;
  readonly notified: boolean;
}

export interface ScenarioResult {
  readonly id: string;
  readonly file: string;
  readonly title: Text;
  readonly purpose: Text;
  readonly tags: readonly string[];
  readonly cells: readonly CellResult[];
  /** Present when the scenario sweeps distance and duration. */
  readonly sweep?: readonly SweepPoint[];
  /** Present when the scenario runs trials: its rate and differential judgements (runner/trials.ts). */
  readonly rates?: readonly RateResult[];
}

/** Receivers of one platform and app over the trials: how many were notified, with an interval. */
export interface RateGroup {
  readonly platform: 'android' | 'ios';
  readonly app: string;
  readonly phones: readonly string[];
  readonly notified: number;
  readonly trials: number;
  readonly rate: number;
  /** Confidence interval of the rate at 1 − alpha. */
  readonly low: number;
  readonly high: number;
  /** Trials without a notification, by the first link that did not hold (e.g. { score: 20 }). */
  readonly stoppedAt: Readonly<Record<string, number>>;
}

/** A rate expectation (`notified: { rate: ">= 0.9" }`) or `differential: platform`, judged over trials. */
export interface RateResult {
  readonly kind: 'rate' | 'differential';
  /** e.g. "b notified >= 0.9" or "android = ios". */
  readonly expectation: string;
  /** Method of the interval shown beside each group's rate (low, high). */
  readonly interval: 'wilson' | 'clopper-pearson';
  /** α of that interval (0.05: a 95 % interval); it describes, the exact test decides. */
  readonly alpha: number;
  readonly groups: readonly RateGroup[];
  /** The exact test: one-sided binomial against the bound (rate), Fisher's two-sided (differential). */
  readonly test: 'exact-binomial' | 'fisher-exact';
  readonly pValue: number;
  /** The p-value after Holm's adjustment across the run's statistical tests; fails when ≤ the family α. */
  readonly adjustedP: number;
  /**
   * The smallest gap these trials detect with 95 % power at the strictest level Holm may use
   * (family α ÷ tests): shortfall from the bound (rate), or below the baseline rate (differential);
   * null when no gap is detectable.
   */
  readonly detectableGap: number | null;
  readonly passed: boolean;
  readonly text: Text;
}

/** How the run held its statistical tests together: the share of runs a fair library may fail. */
export interface ErrorRates {
  readonly familyAlpha: number;
  readonly correction: 'holm';
  /** Statistical tests judged in this run (rates per platform × app, differentials). */
  readonly tests: number;
  readonly text: Text;
}

export type RunStatus = 'passed' | 'failed' | 'timedout' | 'interrupted';

export interface RunMetadata {
  readonly ichirenVersion: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly seed: number;
  readonly release: string;
  /** Server target and what it pointed at (image, command, URL, or "reference server"). */
  readonly target: { readonly kind: 'embedded' | 'process' | 'container' | 'url'; readonly detail: string };
  /** Server behaviour of the reference server, when it is the target (e.g. "2021-02-17"). */
  readonly serverBehaviour?: string;
  readonly apps: Readonly<Record<'android' | 'ios', string>>;
  readonly node: string;
  readonly platform: string;
  /** The Chromium of the run (web screen, PDF): version, where it came from; absent when none ran. */
  readonly browser?: string;
  /** The command line that reproduces this run. */
  readonly command: string;
  /**
   * The one clock of the server, the HER-SYS stub and the phones (ISO 8601): where it started
   * (`--now`, the machine's, or a deployed server's `Date`), the scenarios' now it moved to, and
   * whose it was.
   */
  readonly clock?: {
    readonly now: string;
    readonly scenarioNow: string;
    readonly source: 'run' | 'deployed-server';
  };
  /** Cells left out because an app lacks a trait the scenario requires (scenario `requires`). */
  readonly notApplicable?: readonly {
    readonly cell: string;
    readonly app: string;
    readonly missing: readonly string[];
  }[];
}

/**
 * A planned cell that did not run to its end because the run was interrupted: 'not-started' when no
 * step of it ran, 'cut-short' when it was running (its partial evidence proves nothing and is dropped).
 */
export interface NotRunCell {
  readonly scenario: string;
  readonly file: string;
  readonly id: string;
  readonly platform: 'android' | 'ios';
  readonly app: string;
  readonly reason: 'not-started' | 'cut-short';
}

/**
 * A verdict line: 'reaches' when every cell for it ran and passed, 'broken' when a cell failed (evidence
 * even in a run cut short), 'not-finished' when nothing failed but the run was interrupted.
 */
export type VerdictOutcome = 'reaches' | 'broken' | 'not-finished';

export interface RunSummary {
  readonly scenarios: number;
  readonly cells: number;
  readonly passed: number;
  readonly failed: number;
  /**
   * Does the chain reach each platform's users, per app build? Counted per receiving phone, on that
   * phone's own platform: true only if every receiving phone of it held its expectation.
   */
  readonly verdict: readonly {
    readonly platform: 'android' | 'ios';
    readonly app: string;
    readonly reaches: boolean;
    readonly outcome: VerdictOutcome;
    readonly passed: number;
    readonly failed: number;
  }[];
}

export interface RunResult {
  readonly schemaVersion: 1;
  readonly status: RunStatus;
  readonly metadata: RunMetadata;
  readonly summary: RunSummary;
  readonly scenarios: readonly ScenarioResult[];
  /** Present when the run judged a rate or differential: how its error rate is held. */
  readonly errorRates?: ErrorRates;
  /** Present when the run was interrupted: the planned cells that did not run to their end. */
  readonly notRun?: readonly NotRunCell[];
}
