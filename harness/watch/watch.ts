/**
 * `ichiren watch`, one observation: observe, append to the history (with the changes of state it
 * caused), prune, alert on changes, send the day's summary once, write the history page. Returns
 * the exit status for schedulers: 0 every observed series passes, 1 one fails or flaps, 3 no
 * observation could be made (environment problem; the history still records it).
 */
import { dailySummaryPayload, postWebhook, stateChangePayload } from './alerts.js';
import { jst, PLATFORM_NAME } from './catalog.js';
import { type HistoryLocation, openHistory } from './history/db.js';
import {
  appendRun,
  claimDailySummary,
  loadHistory,
  loadRuns,
  markDelivered,
  prune,
  type StateChange,
} from './history/store.js';
import { type ObserveOptions, observe } from './observe.js';
import { anyBroken, headline } from './rollup.js';
import { DEFAULT_FLAP_POLICY, type FlapPolicy } from './state.js';
import { type ObservedRun, seriesId, targetLabel } from './types.js';

export interface WatchConfig extends ObserveOptions {
  readonly history: HistoryLocation;
  readonly webhook?: string;
  /** "HH:MM" Japan time: the first observation at or after it each day sends the day's summary. */
  readonly dailySummaryAt?: string;
  readonly retentionDays: number;
  /** Write the HTML history page here after the observation. */
  readonly page?: string;
  /** Link to the published history page, put into alerts. */
  readonly historyUrl?: string;
  readonly policy?: FlapPolicy;
  readonly log?: (line: string) => void;
  readonly fetcher?: typeof fetch;
}

export interface WatchOutcome {
  readonly exitCode: 0 | 1 | 3;
  readonly runs: readonly { readonly id: number; readonly status: string; readonly error?: string }[];
  readonly changes: readonly StateChange[];
  /** Webhook delivery error, when one was due and failed. */
  readonly deliveryError: string | null;
  readonly summarySent: boolean;
}

/** The JST calendar day and whether `at` is at or past HH:MM on it. */
export function jstDayAndDue(at: Date, hhmm: string): { day: string; due: boolean } {
  const j = new Date(at.getTime() + 9 * 3_600_000);
  const [h, m] = hhmm.split(':').map(Number);
  const minutes = j.getUTCHours() * 60 + j.getUTCMinutes();
  return { day: j.toISOString().slice(0, 10), due: minutes >= (h ?? 0) * 60 + (m ?? 0) };
}

export async function watchOnce(config: WatchConfig): Promise<WatchOutcome> {
  const log = config.log ?? (() => {});
  const clock = config.clock ?? (() => new Date());
  const policy = config.policy ?? DEFAULT_FLAP_POLICY;
  // The history opens (PGlite starts) while the phones observe.
  const opening = openHistory(config.history);
  opening.catch(() => undefined); // awaited below
  const observing = observe(config);
  const db = await opening.catch(async (e: unknown) => {
    await observing.catch(() => undefined);
    throw e;
  });
  try {
    const observations = await observing;
    const runs: (ObservedRun & { id: number })[] = [];
    const changes: StateChange[] = [];
    const touched = new Set<string>();
    for (const o of observations) {
      const appended = await appendRun(db, o.run, o.outcomes, policy);
      runs.push({ ...o.run, id: appended.runId });
      changes.push(...appended.changes);
      for (const p of o.outcomes) touched.add(seriesId({ ...p, target: targetLabel(o.run.target) }));
      log(
        `observation #${appended.runId}  ${o.run.release}  ${o.run.target.kind} ${o.run.target.detail}  ${o.run.status}` +
          `  (${(o.run.durationMs / 1000).toFixed(1)} s)${o.run.error ? `\n  ${o.run.error}` : ''}`,
      );
    }
    const now = clock();
    const pruned = await prune(db, new Date(now.getTime() - config.retentionDays * 86_400_000));
    if (pruned > 0)
      log(`retention: ${pruned} observation(s) older than ${config.retentionDays} days removed`);
    const series = await loadHistory(db, { policy });
    const observed = series.filter((s) => touched.has(seriesId(s.key)));
    log(headline(observed, 'ja'));
    log(headline(observed, 'en'));
    for (const c of changes)
      log(`change: ${c.series.scenario} ${PLATFORM_NAME[c.series.platform]} ${c.series.app} → ${c.kind}`);

    let deliveryError: string | null = null;
    if (changes.length > 0 && config.webhook) {
      const payload = stateChangePayload(changes, observed, runs, config.historyUrl);
      deliveryError = await postWebhook(config.webhook, payload, config.fetcher);
      await markDelivered(
        db,
        changes.map((c) => c.alertId),
        clock(),
        deliveryError ?? undefined,
      );
      log(deliveryError ? `webhook: ${deliveryError}` : `webhook: ${changes.length} change(s) sent`);
    }
    let summarySent = false;
    if (config.dailySummaryAt && config.webhook) {
      const { day, due } = jstDayAndDue(now, config.dailySummaryAt);
      if (due) {
        // The day's summary is the observed environment's: another environment has its own.
        const targets = new Set(observations.map((o) => targetLabel(o.run.target)));
        const today = (await loadRuns(db, 10_000)).filter(
          (r) => targets.has(r.target) && jst(r.observedAt).startsWith(day),
        ).length;
        const payload = dailySummaryPayload(observed, now, today, config.historyUrl);
        const id = await claimDailySummary(db, [day, ...[...targets].sort()].join(' '), now, payload);
        if (id !== null) {
          const error = await postWebhook(config.webhook, payload, config.fetcher);
          await markDelivered(db, [id], clock(), error ?? undefined);
          summarySent = error === null;
          log(error ? `daily summary: ${error}` : `daily summary for ${day} sent`);
        }
      }
    }
    if (config.page) {
      const { writeHistoryPage } = await import('./page/write.js');
      await writeHistoryPage(db, config.page, { policy, now });
      log(`history page: ${config.page}`);
    }
    const exitCode = runs.some((r) => r.status === 'error') ? 3 : anyBroken(observed) ? 1 : 0;
    return {
      exitCode,
      runs: runs.map((r) => ({ id: r.id, status: r.status, ...(r.error ? { error: r.error } : {}) })),
      changes,
      deliveryError,
      summarySent,
    };
  } finally {
    await db.close();
  }
}
