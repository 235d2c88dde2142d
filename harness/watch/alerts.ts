/**
 * Alerts on changes of state only: one webhook POST per observation that changed something, and
 * an optional daily summary. The payload is documented JSON (harness/watch/README.md) whose `text`
 * field is what Slack and Microsoft Teams incoming webhooks display.
 */
import { jst, linkName, PLATFORM_NAME, TEXT } from './catalog.js';
import type { SeriesHistory, StateChange } from './history/store.js';
import { headline, PLATFORMS, platformState } from './rollup.js';
import type { SeriesState } from './state.js';
import type { ObservedRun, SeriesPoint } from './types.js';

export const PAYLOAD_VERSION = 1;

interface PointSummary {
  readonly runId: number;
  readonly observedAt: string;
  readonly release: string;
  readonly target: string;
  readonly serverVersion: string | null;
  readonly configHash: string | null;
  readonly batchNumbers: readonly number[];
  readonly brokenLink: string | null;
  readonly cell: string | null;
  readonly detail: string | null;
}

const point = (p: SeriesPoint): PointSummary => ({
  runId: p.runId,
  observedAt: p.observedAt,
  release: p.release,
  target: p.target,
  serverVersion: p.identity.serverVersion,
  configHash: p.identity.configHash,
  batchNumbers: p.identity.batchNumbers,
  brokenLink: p.brokenLink,
  cell: p.cell,
  detail: p.detail,
});

export interface StateSummary {
  readonly state: SeriesState['kind'];
  /** failing: the first failing observation; recovered/passing: the first passing one. */
  readonly since?: PointSummary;
  readonly flipRate?: number;
}

export const summariseState = (s: SeriesState): StateSummary =>
  s.kind === 'unknown'
    ? { state: 'unknown' }
    : s.kind === 'flapping'
      ? { state: 'flapping', flipRate: s.flipRate }
      : { state: s.kind, since: point(s.since) };

export interface WebhookPayload {
  /** Slack/Teams display text: Japanese line, then English line. */
  readonly text: string;
  readonly source: 'ichiren watch';
  readonly version: typeof PAYLOAD_VERSION;
  readonly kind: 'state-change' | 'daily-summary';
  readonly observedAt: string;
  readonly platforms: Readonly<Record<'android' | 'ios', StateSummary>>;
  readonly changes: readonly {
    /** The environment of the series (its target). */
    readonly target: string;
    readonly scenario: string;
    readonly platform: 'android' | 'ios';
    readonly app: string;
    readonly change: StateChange['kind'];
    readonly state: StateSummary;
  }[];
  readonly runs: readonly {
    readonly id: number;
    readonly release: string;
    readonly status: string;
    readonly target: string;
  }[];
  readonly historyUrl?: string;
}

function changeLine(c: StateChange, lang: 'ja' | 'en'): string {
  const where = `${c.series.scenario} · ${PLATFORM_NAME[c.series.platform]} · ${c.series.app}`;
  const a = c.after;
  if (a.kind === 'failing')
    return lang === 'ja'
      ? `✘ ${where}: ${jst(a.since.observedAt)} から${linkName(a.since.brokenLink, 'ja')}で途切れている（リリース ${a.since.release}）`
      : `✘ ${where}: broken at ${linkName(a.since.brokenLink, 'en')} since ${jst(a.since.observedAt)} (release ${a.since.release})`;
  if (a.kind === 'flapping')
    return lang === 'ja' ? `⚠ ${where}: 不安定` : `⚠ ${where}: flapping (flip rate ${a.flipRate.toFixed(2)})`;
  return lang === 'ja' ? `✔ ${where}: 復旧` : `✔ ${where}: recovered`;
}

export function stateChangePayload(
  changes: readonly StateChange[],
  series: readonly SeriesHistory[],
  runs: readonly (ObservedRun & { id: number })[],
  historyUrl?: string,
): WebhookPayload {
  const observedAt = runs[0]?.observedAt.toISOString() ?? new Date(0).toISOString();
  const text = [
    `【${TEXT.title.ja}】${headline(series, 'ja')}`,
    ...changes.map((c) => changeLine(c, 'ja')),
    `[${TEXT.title.en}] ${headline(series, 'en')}`,
    ...changes.map((c) => changeLine(c, 'en')),
    ...(historyUrl ? [historyUrl] : []),
  ].join('\n');
  return {
    text,
    source: 'ichiren watch',
    version: PAYLOAD_VERSION,
    kind: 'state-change',
    observedAt,
    platforms: Object.fromEntries(
      PLATFORMS.map((p) => [p, summariseState(platformState(series, p))]),
    ) as WebhookPayload['platforms'],
    changes: changes.map((c) => ({
      target: c.series.target,
      scenario: c.series.scenario,
      platform: c.series.platform,
      app: c.series.app,
      change: c.kind,
      state: summariseState(c.after),
    })),
    runs: runs.map((r) => ({
      id: r.id,
      release: r.release,
      status: r.status,
      target: `${r.target.kind} ${r.target.detail}`,
    })),
    ...(historyUrl ? { historyUrl } : {}),
  };
}

export function dailySummaryPayload(
  series: readonly SeriesHistory[],
  at: Date,
  runsToday: number,
  historyUrl?: string,
): WebhookPayload {
  const text = [
    `【${TEXT.title.ja} ${TEXT.dailySummary.ja}】${headline(series, 'ja')}（本日 ${runsToday} 回観測）`,
    `[${TEXT.title.en} ${TEXT.dailySummary.en}] ${headline(series, 'en')} (${runsToday} observations today)`,
    ...(historyUrl ? [historyUrl] : []),
  ].join('\n');
  return {
    text,
    source: 'ichiren watch',
    version: PAYLOAD_VERSION,
    kind: 'daily-summary',
    observedAt: at.toISOString(),
    platforms: Object.fromEntries(
      PLATFORMS.map((p) => [p, summariseState(platformState(series, p))]),
    ) as WebhookPayload['platforms'],
    changes: [],
    runs: [],
    ...(historyUrl ? { historyUrl } : {}),
  };
}

/** POSTs the payload (3 tries, 10 s each); returns the last error message, or null when delivered. */
export async function postWebhook(
  url: string,
  payload: WebhookPayload,
  fetcher: typeof fetch = fetch,
): Promise<string | null> {
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const r = await fetcher(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(10_000),
      });
      if (r.ok) return null;
      last = `webhook answered ${r.status}`;
      if (r.status < 500 && r.status !== 429) break;
    } catch (e) {
      last = `webhook unreachable: ${(e as Error).message}`;
    }
    await new Promise((res) => setTimeout(res, 500 * (attempt + 1)));
  }
  return last;
}
