/** The data of fixed-point observation: what one observation records and what the history reads back. */
import type { LinkResult, RunResult } from '../runner/results.js';

export type Platform = 'android' | 'ios';

/** What the observer could learn about the deployed server, to name what changed between runs. */
export interface ServerIdentity {
  /** Body of the version endpoint (`--version-url`), trimmed; null when none was given or it failed. */
  readonly serverVersion: string | null;
  /** sha256 of the configuration files the phones download; null when unreadable. */
  readonly configHash: string | null;
  /** Export batch numbers in list.json after the observation (ascending). */
  readonly batchNumbers: readonly number[];
}

/** One observation run: one release's phones against one target. */
export interface ObservedRun {
  readonly observedAt: Date;
  readonly observer: string;
  readonly release: string;
  readonly apps: Readonly<Record<Platform, string>>;
  readonly target: { readonly kind: string; readonly detail: string };
  /** The run's status, or `error` when no observation could be made (stack did not start…). */
  readonly status: RunResult['status'] | 'error';
  readonly error?: string;
  readonly durationMs: number;
  readonly identity: ServerIdentity;
  readonly result?: RunResult;
}

/** One receiving phone's outcome in one cell: the unit of a series. */
export interface PhoneOutcome {
  readonly scenario: string;
  readonly cell: string;
  readonly phone: string;
  readonly platform: Platform;
  readonly app: string;
  readonly passed: boolean;
  readonly cellStatus: string;
  readonly firstBrokenLink: string | null;
  readonly errors: readonly string[];
  readonly links: readonly LinkResult[];
}

/**
 * A series is one scenario on one platform with one app build, observed in one environment (the
 * target, "url https://staging…"): two environments never share a history.
 */
export interface SeriesKey {
  readonly target: string;
  readonly scenario: string;
  readonly platform: Platform;
  readonly app: string;
}

/** The environment an observation ran against, as series and pages name it. */
export const targetLabel = (t: ObservedRun['target']): string => `${t.kind} ${t.detail}`;

export const seriesId = (k: SeriesKey): string => `${k.target}|${k.scenario}|${k.platform}|${k.app}`;

/** One observation of one series (its phones in one run, combined). */
export interface SeriesPoint {
  readonly runId: number;
  readonly observedAt: string;
  readonly passed: boolean;
  readonly release: string;
  readonly target: string;
  readonly identity: ServerIdentity;
  /** The first failing phone's broken link and cell, for the evidence link. */
  readonly brokenLink: string | null;
  readonly cell: string | null;
  readonly detail: string | null;
}
