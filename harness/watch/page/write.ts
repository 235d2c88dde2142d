/** Loads what the history page shows and writes it atomically (a reader never sees half a page). */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from '../history/db.js';
import { loadEvidence, loadHistory, loadRuns } from '../history/store.js';
import type { FlapPolicy } from '../state.js';
import { seriesId } from '../types.js';
import { type HistoryPageData, renderHistoryPage } from './render.js';

export async function historyPageData(
  db: Sql,
  options: { policy?: FlapPolicy; now?: Date } = {},
): Promise<HistoryPageData> {
  const series = await loadHistory(db, options.policy ? { policy: options.policy } : {});
  const runs = await loadRuns(db);
  const evidence = new Map<string, Awaited<ReturnType<typeof loadEvidence>>>();
  for (const s of series) {
    const first =
      s.state.kind === 'failing'
        ? s.state.since
        : s.state.kind === 'recovered'
          ? s.state.failedSince
          : undefined;
    if (first) evidence.set(seriesId(s.key), await loadEvidence(db, first.runId, s.key));
  }
  return { generatedAt: (options.now ?? new Date()).toISOString(), series, runs, evidence };
}

export async function writeHistoryPage(
  db: Sql,
  file: string,
  options: { policy?: FlapPolicy; now?: Date } = {},
): Promise<void> {
  const html = renderHistoryPage(await historyPageData(db, options));
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, html);
  await rename(tmp, file);
}
