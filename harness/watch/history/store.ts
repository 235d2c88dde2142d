/**
 * Reads and writes the history. An observation is appended in one transaction together with the
 * alerts its state changes call for; on PostgreSQL the transaction holds an advisory lock, so
 * concurrent observers append one after the other and each sees the other's runs when it judges a
 * change (a change is alerted once). Reads build per-series points for the state machine.
 */
import {
  type AlertKind,
  alertFor,
  DEFAULT_FLAP_POLICY,
  type FlapPolicy,
  type SeriesState,
  seriesState,
} from '../state.js';
import {
  type ObservedRun,
  type PhoneOutcome,
  type SeriesKey,
  type SeriesPoint,
  type ServerIdentity,
  seriesId,
  targetLabel,
} from '../types.js';
import { HISTORY_LOCK_KEY, type HistoryDb, type Sql } from './db.js';

export interface StateChange {
  readonly alertId: number;
  readonly series: SeriesKey;
  readonly kind: AlertKind;
  readonly before: SeriesState;
  readonly after: SeriesState;
}

export interface Appended {
  readonly runId: number;
  /** Changes of state this run caused, each recorded once (watch_alerts). */
  readonly changes: readonly StateChange[];
}

interface PointRow {
  run_id: string | number;
  observed_at: Date | string;
  release: string;
  target_kind: string;
  target_detail: string;
  server_version: string | null;
  config_hash: string | null;
  batch_numbers: number[] | string;
  scenario: string;
  platform: 'android' | 'ios';
  app: string;
  cell: string;
  passed: boolean;
  first_broken_link: string | null;
  detail: string | null;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

const POINTS_SQL = `
  SELECT r.id AS run_id, r.observed_at, r.release, r.target_kind, r.target_detail, r.server_version,
         r.config_hash, r.batch_numbers, c.scenario, c.platform, c.app, c.cell, c.passed,
         c.first_broken_link,
         (SELECT l.detail FROM watch_links l WHERE l.cell_id = c.id AND l.name = c.first_broken_link LIMIT 1) AS detail
    FROM watch_cells c JOIN watch_runs r ON r.id = c.run_id`;

/** Rows (one per phone) → points per series, oldest first; a series point fails if any phone failed. */
function toSeries(rows: readonly PointRow[]): Map<string, { key: SeriesKey; points: SeriesPoint[] }> {
  const series = new Map<string, { key: SeriesKey; points: SeriesPoint[] }>();
  for (const r of rows) {
    const key: SeriesKey = {
      target: `${r.target_kind} ${r.target_detail}`,
      scenario: r.scenario,
      platform: r.platform,
      app: r.app,
    };
    const id = seriesId(key);
    const s = series.get(id) ?? { key, points: [] };
    series.set(id, s);
    const runId = Number(r.run_id);
    const prev = s.points.at(-1);
    if (prev && prev.runId === runId) {
      if (prev.passed && !r.passed)
        s.points[s.points.length - 1] = {
          ...prev,
          passed: false,
          brokenLink: r.first_broken_link,
          cell: r.cell,
          detail: r.detail,
        };
      continue;
    }
    const identity: ServerIdentity = {
      serverVersion: r.server_version,
      configHash: r.config_hash,
      batchNumbers: json<number[]>(r.batch_numbers),
    };
    s.points.push({
      runId,
      observedAt: iso(r.observed_at),
      passed: r.passed,
      release: r.release,
      target: `${r.target_kind} ${r.target_detail}`,
      identity,
      brokenLink: r.passed ? null : r.first_broken_link,
      cell: r.passed ? null : r.cell,
      detail: r.passed ? null : r.detail,
    });
  }
  return series;
}

async function pointsOf(sql: Sql, where = '', params: unknown[] = []) {
  const rows = await sql.query<PointRow>(`${POINTS_SQL} ${where} ORDER BY r.observed_at, r.id, c.id`, params);
  return toSeries(rows);
}

export async function appendRun(
  db: HistoryDb,
  run: ObservedRun,
  outcomes: readonly PhoneOutcome[],
  policy: FlapPolicy = DEFAULT_FLAP_POLICY,
): Promise<Appended> {
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [HISTORY_LOCK_KEY]);
    const [row] = await tx.query<{ id: string | number }>(
      `INSERT INTO watch_runs (observed_at, observer, release, apps, target_kind, target_detail, status, error,
         duration_ms, server_version, config_hash, batch_numbers, result)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id`,
      [
        run.observedAt.toISOString(),
        run.observer,
        run.release,
        JSON.stringify(run.apps),
        run.target.kind,
        run.target.detail,
        run.status,
        run.error ?? null,
        Math.round(run.durationMs),
        run.identity.serverVersion,
        run.identity.configHash,
        JSON.stringify(run.identity.batchNumbers),
        run.result ? JSON.stringify(run.result) : null,
      ],
    );
    const runId = Number(row?.id);
    for (const o of outcomes) {
      const [cell] = await tx.query<{ id: string | number }>(
        `INSERT INTO watch_cells (run_id, scenario, cell, phone, platform, app, passed, status, first_broken_link, errors)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
        [
          runId,
          o.scenario,
          o.cell,
          o.phone,
          o.platform,
          o.app,
          o.passed,
          o.cellStatus,
          o.firstBrokenLink,
          JSON.stringify(o.errors),
        ],
      );
      for (const [ord, l] of o.links.entries()) {
        await tx.query(
          `INSERT INTO watch_links (cell_id, ord, name, status, detail, text_ja, text_en, evidence)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
          [
            cell?.id,
            ord,
            l.name,
            l.status,
            l.detail,
            l.text.ja,
            l.text.en,
            l.evidence ? JSON.stringify(l.evidence) : null,
          ],
        );
      }
    }
    // Judge each series this run touched, with and without this run.
    const target = targetLabel(run.target);
    const touched = [...new Set(outcomes.map((o) => seriesId({ ...o, target })))];
    const changes: StateChange[] = [];
    if (touched.length === 0) return { runId, changes };
    const all = await pointsOf(
      tx,
      `WHERE (r.target_kind || ' ' || r.target_detail || '|' || c.scenario || '|' || c.platform || '|' || c.app) = ANY($1)`,
      [touched],
    );
    for (const { key, points } of all.values()) {
      const after = seriesState(points, policy);
      const before = seriesState(
        points.filter((p) => p.runId !== runId),
        policy,
      );
      const kind = alertFor(before, after);
      if (!kind) continue;
      const [alert] = await tx.query<{ id: string | number }>(
        `INSERT INTO watch_alerts (series, run_id, kind, created_at, payload) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (series, kind, run_id) DO NOTHING RETURNING id`,
        [seriesId(key), runId, kind, run.observedAt.toISOString(), JSON.stringify({ before, after })],
      );
      if (alert) changes.push({ alertId: Number(alert.id), series: key, kind, before, after });
    }
    return { runId, changes };
  });
}

export interface SeriesHistory {
  readonly key: SeriesKey;
  readonly points: readonly SeriesPoint[];
  readonly state: SeriesState;
}

/** Every series with its points (at most `limit` latest runs each) and its state. */
export async function loadHistory(
  db: Sql,
  options: { policy?: FlapPolicy; limitRuns?: number } = {},
): Promise<SeriesHistory[]> {
  const limit = options.limitRuns ?? 500;
  const series = await pointsOf(
    db,
    'WHERE r.id IN (SELECT id FROM watch_runs ORDER BY observed_at DESC, id DESC LIMIT $1)',
    [limit],
  );
  return [...series.values()]
    .map(({ key, points }) => ({ key, points, state: seriesState(points, options.policy) }))
    .sort((a, b) =>
      `${a.key.target} ${a.key.scenario} ${a.key.platform} ${a.key.app}`.localeCompare(
        `${b.key.target} ${b.key.scenario} ${b.key.platform} ${b.key.app}`,
      ),
    );
}

export interface RunRow {
  readonly id: number;
  readonly observedAt: string;
  readonly observer: string;
  readonly release: string;
  readonly target: string;
  readonly status: string;
  readonly error: string | null;
  readonly durationMs: number;
  readonly identity: ServerIdentity;
}

export async function loadRuns(db: Sql, limit = 500): Promise<RunRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT id, observed_at, observer, release, target_kind, target_detail, status, error, duration_ms,
            server_version, config_hash, batch_numbers
       FROM watch_runs ORDER BY observed_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.reverse().map((r) => ({
    id: Number(r.id),
    observedAt: iso(r.observed_at as Date),
    observer: String(r.observer),
    release: String(r.release),
    target: `${r.target_kind} ${r.target_detail}`,
    status: String(r.status),
    error: (r.error as string | null) ?? null,
    durationMs: Number(r.duration_ms),
    identity: {
      serverVersion: (r.server_version as string | null) ?? null,
      configHash: (r.config_hash as string | null) ?? null,
      batchNumbers: json<number[]>(r.batch_numbers as number[]),
    },
  }));
}

/** Links of one series' phones in one run: the evidence behind a point. */
export async function loadEvidence(
  db: Sql,
  runId: number,
  key: SeriesKey,
): Promise<
  {
    cell: string;
    phone: string;
    links: { name: string; status: string; detail: string; ja: string; en: string }[];
  }[]
> {
  const cells = await db.query<{ id: string | number; cell: string; phone: string }>(
    'SELECT id, cell, phone FROM watch_cells WHERE run_id = $1 AND scenario = $2 AND platform = $3 AND app = $4 ORDER BY id',
    [runId, key.scenario, key.platform, key.app],
  );
  const out = [];
  for (const c of cells) {
    const links = await db.query<{
      name: string;
      status: string;
      detail: string;
      text_ja: string;
      text_en: string;
    }>('SELECT name, status, detail, text_ja, text_en FROM watch_links WHERE cell_id = $1 ORDER BY ord', [
      c.id,
    ]);
    out.push({
      cell: c.cell,
      phone: c.phone,
      links: links.map((l) => ({
        name: l.name,
        status: l.status,
        detail: l.detail,
        ja: l.text_ja,
        en: l.text_en,
      })),
    });
  }
  return out;
}

export async function markDelivered(
  db: Sql,
  alertIds: readonly number[],
  at: Date,
  error?: string,
): Promise<void> {
  if (alertIds.length === 0) return;
  await db.query('UPDATE watch_alerts SET delivered_at = $1, delivery_error = $2 WHERE id = ANY($3)', [
    error ? null : at.toISOString(),
    error ?? null,
    alertIds,
  ]);
}

/** Claims the day's summary: true for exactly one observer per day (the insert that wins). */
export async function claimDailySummary(
  db: Sql,
  day: string,
  at: Date,
  payload: unknown,
): Promise<number | null> {
  const [row] = await db.query<{ id: string | number }>(
    `INSERT INTO watch_alerts (series, run_id, kind, created_at, payload) VALUES ($1, NULL, 'daily-summary', $2, $3)
     ON CONFLICT DO NOTHING RETURNING id`,
    [`daily:${day}`, at.toISOString(), JSON.stringify(payload)],
  );
  return row ? Number(row.id) : null;
}

/** Retention: drops runs observed before `before` (their cells, links and alerts go with them). */
export async function prune(db: Sql, before: Date): Promise<number> {
  const rows = await db.query<{ id: string }>('DELETE FROM watch_runs WHERE observed_at < $1 RETURNING id', [
    before.toISOString(),
  ]);
  return rows.length;
}
