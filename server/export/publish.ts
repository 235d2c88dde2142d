import { randomInt } from 'node:crypto';
import type { TemporaryExposureKey } from '../../harness/protocol/index.js';
import { type ExportSigner, writeSignedExport } from '../../harness/protocol/index.js';
import type { Database, Sql } from '../database/database.js';
import { EXPORTABLE } from './exportable.js';

const INTERVALS_PER_DAY = 144;
const INTERVAL_SECONDS = 600;
/**
 * Below this many pending keys a batch claims them straight into memory; from it on they wait in a
 * temporary table, indexed by day, and are read one day at a time.
 */
const LARGE_CLAIM_KEYS = 20_000;

export interface PublishSettings {
  /** The stored region whose keys this batch exports (a cell's own, server/cells.ts). */
  readonly region: string;
  /** The region written into the export files (default `region`): a cell's files say "440". */
  readonly exportRegion?: string;
  readonly maxKeysPerFile: number;
  readonly retentionDays: number;
  readonly signers: readonly ExportSigner[];
  /**
   * How long after the end of its rolling period a key is held back (ms; default 0). A key whose
   * period has not ended is still being broadcast: exporting it would let anyone replay it. Google's
   * key server accepts such "still valid" keys and embargoes them until they could no longer be
   * replayed (exposure-notifications-server, docs/getting-started/publishing-temporary-exposure-keys.md);
   * the current day's key released early under EN v2 (gaen.md §5) is published once its shortened
   * period has ended.
   */
  readonly embargoMs?: number;
  /** Claims of this many keys or more go through a temporary table (default 20,000; tests set 0). */
  readonly largeClaimKeys?: number;
}

export interface PublishedFile {
  readonly batchNum: number;
  readonly keyCount: number;
  readonly startTimestamp: number;
  readonly endTimestamp: number;
}

interface PendingRow {
  key_data: Uint8Array;
  rolling_start_interval_number: number;
  rolling_period: number;
  transmission_risk_level: number;
  report_type: number | null;
  days_since_onset_of_symptoms: number | null;
}

/**
 * The export batch (cocoa.md §3, TemporaryExposureKeyExportBatchService): pending keys with rolling
 * start ≥ today−14d whose rolling period ended at least `embargoMs` ago, grouped by rolling-start
 * day, shuffled, split into files of ≤ maxKeysPerFile, signed, stored with their zip bytes. One
 * transaction: the keys are claimed (exported = true), the files written and the list entries
 * recorded together, so a crash publishes all of it or none.
 */
export async function runExportBatch(
  db: Database,
  settings: PublishSettings,
  nowMs: number,
): Promise<PublishedFile[]> {
  const today = Math.floor(nowMs / 1000 / INTERVAL_SECONDS / INTERVALS_PER_DAY) * INTERVALS_PER_DAY;
  const oldest = today - settings.retentionDays * INTERVALS_PER_DAY;
  // Exportable: rolling start + period (the interval after its last) ≤ this.
  const endedBy = Math.floor((nowMs - (settings.embargoMs ?? 0)) / 1000 / INTERVAL_SECONDS);
  return db.transaction(async (tx) => {
    // Serialises publishers sharing one database (two server processes); readers are not blocked.
    await tx.query('LOCK TABLE exports IN EXCLUSIVE MODE');
    const files: PublishedFile[] = [];
    // The batch's time on the server's clock, the one phones compare with their own (server/clock.ts).
    const createdMs = nowMs;
    const pending = [settings.region, oldest, endedBy];
    for await (const { day, rows } of claimByDay(tx, pending, settings.largeClaimKeys ?? LARGE_CLAIM_KEYS)) {
      const keys = rows.map(toKey);
      rows.length = 0;
      shuffle(keys);
      const start = day * 86_400;
      // Files of one day must differ in their header, or Android treats them as one (ENS exportfile.go
      // bumps the end timestamp the same way); count earlier batches of the same day too.
      const [{ n }] = await tx.query<{ n: number | string }>(
        'SELECT count(*) AS n FROM exports WHERE region = $1 AND start_timestamp = $2',
        [settings.region, start],
      );
      let index = Number(n);
      for (let from = 0; from < keys.length; from += settings.maxKeysPerFile) {
        const chunk = keys.slice(from, from + settings.maxKeysPerFile);
        // Not a sequence: nextval survives a rollback, so a crash mid-publish would leave a gap. The
        // counter row is taken and committed with the file, or not at all.
        const [{ batch_num }] = await tx.query<{ batch_num: number | string }>(
          'UPDATE export_batch_counter SET last_batch_num = last_batch_num + 1 RETURNING last_batch_num AS batch_num',
        );
        const batchNum = Number(batch_num);
        const end = start + 86_400 + index;
        index++;
        // batch_num/batch_size 1/1, as COCOA hard-coded them ("TODO: not support apple", cocoa.md §3).
        const { zip } = writeSignedExport(
          {
            startTimestamp: start,
            endTimestamp: end,
            region: settings.exportRegion ?? settings.region,
            batchNum: 1,
            batchSize: 1,
            keys: chunk,
            revisedKeys: [],
          },
          settings.signers,
        );
        await tx.query(
          `INSERT INTO exports (batch_num, region, start_timestamp, end_timestamp, key_count, created_ms, zip)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [batchNum, settings.region, start, end, chunk.length, createdMs, Buffer.from(zip)],
        );
        files.push({ batchNum, keyCount: chunk.length, startTimestamp: start, endTimestamp: end });
      }
    }
    return files;
  });
}

/** Pending keys of the region, rolling start ≥ $2, period ended by $3 (exportable.ts). */
const PENDING = EXPORTABLE;
const COLUMNS = `key_data, rolling_start_interval_number, rolling_period, transmission_risk_level,
                 report_type, days_since_onset_of_symptoms`;

/**
 * Claims the pending keys (exported = true) and yields them a day at a time, oldest day first.
 * Claiming by UPDATE … RETURNING takes exactly the rows committed now; keys arriving meanwhile stay
 * pending for the next batch. One statement claims every day: an upload stores its 14 days' keys side
 * by side, so each day's keys lie on every page of the table, and a claim per day read the whole
 * table once per day. A small batch (every run's, a few uploads) is claimed straight into memory; a
 * large one (10^6 keys) waits in a temporary table dropped at commit and is read one day at a time,
 * which bounds the memory a batch holds. The temporary table cost a small batch about 3 ms of its 6.
 */
async function* claimByDay(
  tx: Sql,
  pending: readonly unknown[],
  largeClaimKeys: number,
): AsyncGenerator<{ day: number; rows: PendingRow[] }> {
  const [{ n }] = await tx.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM temporary_exposure_keys WHERE ${PENDING}`,
    pending,
  );
  if (Number(n) < largeClaimKeys) {
    const byDay = new Map<number, PendingRow[]>();
    for (const row of await tx.query<PendingRow>(
      `UPDATE temporary_exposure_keys SET exported = true WHERE ${PENDING} RETURNING ${COLUMNS}`,
      pending,
    )) {
      const day = Math.floor(Number(row.rolling_start_interval_number) / INTERVALS_PER_DAY);
      const rows = byDay.get(day);
      if (rows) rows.push(row);
      else byDay.set(day, [row]);
    }
    for (const day of [...byDay.keys()].sort((a, b) => a - b)) yield { day, rows: byDay.get(day) ?? [] };
    return;
  }
  await tx.query(
    `CREATE TEMPORARY TABLE claimed_keys ON COMMIT DROP AS
       SELECT ${COLUMNS} FROM temporary_exposure_keys WITH NO DATA`,
  );
  await tx.query(
    `WITH claimed AS (
       UPDATE temporary_exposure_keys SET exported = true WHERE ${PENDING} RETURNING ${COLUMNS})
     INSERT INTO claimed_keys SELECT * FROM claimed`,
    pending,
  );
  // Reading each day by index pays for building it only for large batches (10^6 keys: 10.6 →
  // 9.6 s on PostgreSQL).
  await tx.query('CREATE INDEX ON claimed_keys (rolling_start_interval_number)');
  const days = await tx.query<{ day: number | string }>(
    `SELECT DISTINCT rolling_start_interval_number / ${INTERVALS_PER_DAY} AS day FROM claimed_keys ORDER BY day`,
  );
  for (const day of days.map((d) => Number(d.day))) {
    const rows = await tx.query<PendingRow>(
      `SELECT ${COLUMNS} FROM claimed_keys
        WHERE rolling_start_interval_number >= $1 AND rolling_start_interval_number < $2`,
      [day * INTERVALS_PER_DAY, (day + 1) * INTERVALS_PER_DAY],
    );
    yield { day, rows };
  }
}

function toKey(r: PendingRow): TemporaryExposureKey {
  const base = {
    keyData: new Uint8Array(r.key_data),
    rollingStartIntervalNumber: Number(r.rolling_start_interval_number),
    rollingPeriod: Number(r.rolling_period),
    transmissionRiskLevel: Number(r.transmission_risk_level),
  };
  // report_type and days_since_onset only for v3 data (cocoa.md §3).
  if (r.report_type === null) return base;
  return {
    ...base,
    reportType: Number(r.report_type) as TemporaryExposureKey['reportType'],
    daysSinceOnsetOfSymptoms:
      r.days_since_onset_of_symptoms === null ? undefined : Number(r.days_since_onset_of_symptoms),
  };
}

/** Fisher–Yates with the CSPRNG: the order of keys in a file must not reveal upload order. */
function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
