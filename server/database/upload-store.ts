import { createHash } from 'node:crypto';
import type { StoredKey } from '../diagnosis/keys.js';
import type { Database, Sql } from './database.js';

/**
 * Uploads, all or nothing (server/README.md "Uploads"): the number's hash, the upload's hash and the
 * keys commit in one transaction (one statement). Concurrent uploads are written together (group
 * commit): whatever arrives while one transaction runs goes into the next, so the database sees a
 * few large transactions instead of many small ones, and a quiet server still writes each upload at
 * once.
 */

/** One upload ready to be stored. */
export interface UploadToStore {
  readonly numberSha256: string;
  /** The submission the upload belongs to (submissionSha256): the same on every retry of it. */
  readonly uploadSha256: string;
  readonly route: string;
  readonly keys: readonly StoredKey[];
  readonly receivedMs: number;
}

/**
 * - `stored`: the number and keys committed now;
 * - `retry`: an upload of this submission was stored before: its keys are added to those (the union;
 *   a key already stored is kept as it was), and the answer is the original success;
 * - `number-used`: another submission stored keys with this number.
 */
export type StoreOutcome = 'stored' | 'retry' | 'number-used';

/** The hash under which a processing number is remembered (the number itself is never stored). */
export function numberSha256(processingNumber: string): string {
  return createHash('sha256').update(`ichiren processing number\0${processingNumber}`).digest('hex');
}

/** What identifies a submission in an upload body, by route (server/README.md "Uploads"). */
export interface SubmissionParts {
  /** v3: the GUID the app makes once per submit screen and sends again on every retry (cocoa.md §1.2). */
  readonly idempotency_key?: string;
  /** v1: the id the app registered once (`POST /register`) and sends with every upload (cocoa.md §1.1). */
  readonly userUuid?: string;
  readonly keys: readonly { keyData: string; rollingStartNumber: number; rollingPeriod: number }[];
}

/**
 * Identity of a submission: what the app keeps across retries of one diagnosis, so that a retry with
 * a changed key set (the day rolled; the day's key re-released) is still the same submission.
 * - v3: the number and `idempotency_key`;
 * - v1: the number and `userUuid`;
 * - v2 (neither): the number and its earliest key (data and rolling start): app 1.2.2+ sends the keys
 *   from diagnosis date − 3 days on (cocoa.md §1.2), so the earliest is the same on every retry.
 * Padding, platform, onset date and the route never count.
 */
export function submissionSha256(
  route: 'v1' | 'v2' | 'v3',
  processingNumber: string,
  body: SubmissionParts,
): string {
  const hash = createHash('sha256').update(`ichiren submission\0${processingNumber}`);
  if (route === 'v3') return hash.update(`\0idempotency_key\0${body.idempotency_key ?? ''}`).digest('hex');
  if (route === 'v1') return hash.update(`\0userUuid\0${body.userUuid ?? ''}`).digest('hex');
  const earliest = body.keys
    .map((k) => ({ rsn: k.rollingStartNumber, key: `${k.rollingStartNumber}.${k.keyData}` }))
    .sort((a, b) => a.rsn - b.rsn || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))[0];
  return hash.update(`\0earliest key\0${earliest?.key ?? ''}`).digest('hex');
}

/** What this server already holds for a number: undefined, or the hash of the upload that used it. */
export async function findUpload(sql: Sql, numberHash: string): Promise<string | undefined> {
  const rows = await sql.query<{ upload_sha256: string }>(
    'SELECT upload_sha256 FROM uploads WHERE number_sha256 = $1',
    [numberHash],
  );
  return rows[0]?.upload_sha256;
}

/**
 * Stores several uploads in one statement, so one transaction with one round trip (a statement commits
 * as a whole): the uploads' rows, and the keys of those whose number was new or stored by the same
 * submission before (a retry: the union). One outcome per upload, in order.
 */
export async function storeUploads(sql: Sql, uploads: readonly UploadToStore[]): Promise<StoreOutcome[]> {
  const keys = uploads.flatMap((u) => u.keys.map((k) => ({ k, u })));
  // A key already stored by another upload (same data and rolling start) is skipped: exported once.
  const rows = await sql.query<{ number_sha256: string }>(
    `WITH stored AS (
       INSERT INTO uploads (number_sha256, upload_sha256, route, key_count, received_ms)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[])
       ON CONFLICT (number_sha256) DO NOTHING RETURNING number_sha256
     ), same_submission AS (
       SELECT number_sha256 FROM uploads
         JOIN unnest($1::text[], $2::text[]) AS s(number_sha256, upload_sha256)
         USING (number_sha256, upload_sha256)
     ), keys AS (
       INSERT INTO temporary_exposure_keys (id, key_data, rolling_start_interval_number, rolling_period,
         transmission_risk_level, report_type, days_since_onset_of_symptoms, region, received_ms)
       SELECT id, decode(key_hex, 'hex'), rsn, rp, trl, rt, dsos, region, received
         FROM unnest($6::text[], $7::text[], $8::text[], $9::int[], $10::int[], $11::int[], $12::int[],
                     $13::int[], $14::text[], $15::bigint[])
                AS t(number_sha256, id, key_hex, rsn, rp, trl, rt, dsos, region, received)
         WHERE number_sha256 IN (SELECT number_sha256 FROM stored UNION SELECT number_sha256 FROM same_submission)
       ON CONFLICT DO NOTHING
     )
     SELECT number_sha256 FROM stored`,
    [
      uploads.map((u) => u.numberSha256),
      uploads.map((u) => u.uploadSha256),
      uploads.map((u) => u.route),
      uploads.map((u) => u.keys.length),
      uploads.map((u) => u.receivedMs),
      keys.map(({ u }) => u.numberSha256),
      keys.map(({ k }) => k.id),
      keys.map(({ k }) => k.keyData.toString('hex')),
      keys.map(({ k }) => k.rollingStartIntervalNumber),
      keys.map(({ k }) => k.rollingPeriod),
      keys.map(({ k }) => k.transmissionRiskLevel),
      keys.map(({ k }) => k.reportType),
      keys.map(({ k }) => k.daysSinceOnsetOfSymptoms),
      keys.map(({ k }) => k.region),
      keys.map(({ u }) => u.receivedMs),
    ],
  );
  const inserted = new Set(rows.map((r) => r.number_sha256));
  // Numbers used before: the rows that kept them are committed (ON CONFLICT waited for them), so
  // this later statement finds them.
  const earlier = uploads.filter((u) => !inserted.has(u.numberSha256));
  const before = new Map<string, string>();
  if (earlier.length > 0) {
    const rows = await sql.query<{ number_sha256: string; upload_sha256: string }>(
      'SELECT number_sha256, upload_sha256 FROM uploads WHERE number_sha256 = ANY($1::text[])',
      [earlier.map((u) => u.numberSha256)],
    );
    for (const r of rows) before.set(r.number_sha256, r.upload_sha256);
  }
  return uploads.map((u) =>
    inserted.has(u.numberSha256)
      ? 'stored'
      : before.get(u.numberSha256) === u.uploadSha256
        ? 'retry'
        : 'number-used',
  );
}

interface Waiting {
  readonly upload: UploadToStore;
  resolve(outcome: StoreOutcome): void;
  reject(error: unknown): void;
}

/** Most uploads per transaction (30 keys each at most: 6,000 rows). */
const MAX_BATCH = 200;
/** Longest wait for more uploads before a transaction, in ms. */
const GATHER_MS = 2;

/** Group commit of uploads: `store()` resolves once its transaction has committed. */
export class UploadWriter {
  #queue: Waiting[] = [];
  #running = false;
  #verifying = 0;
  #wake: (() => void) | undefined;

  constructor(private readonly db: Database) {}

  store(upload: UploadToStore): Promise<StoreOutcome> {
    return new Promise<StoreOutcome>((resolve, reject) => {
      this.#queue.push({ upload, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  /**
   * Marks an upload whose HER-SYS answer is awaited: the next transaction waits a little for it
   * (GATHER_MS at most). Call the returned function once the answer is in, before `store()`.
   */
  verifying(): () => void {
    this.#verifying++;
    let answered = false;
    return () => {
      if (answered) return;
      answered = true;
      this.#verifying--;
      this.#wake?.();
    };
  }

  /**
   * Waits for more uploads before a transaction: first the I/O already in (HER-SYS answers of other
   * uploads), then, while uploads are still being verified, up to GATHER_MS. Without it an in-process
   * PGlite (synchronous WebAssembly) committed every upload alone: the queue was empty again before
   * any other answer was read. A lone upload does not wait.
   */
  async #gather(): Promise<void> {
    const since = performance.now();
    for (;;) {
      const seen = this.#queue.length;
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#queue.length >= MAX_BATCH) return;
      if (this.#queue.length > seen) continue;
      const left = GATHER_MS - (performance.now() - since);
      if (this.#verifying === 0 || left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        await this.#gather();
        // One upload per number in a batch: a second one (a concurrent retry) waits for the next,
        // where it finds the first and gets its outcome.
        const batch: Waiting[] = [];
        const rest: Waiting[] = [];
        const numbers = new Set<string>();
        for (const w of this.#queue) {
          if (batch.length < MAX_BATCH && !numbers.has(w.upload.numberSha256)) {
            numbers.add(w.upload.numberSha256);
            batch.push(w);
          } else rest.push(w);
        }
        this.#queue = rest;
        try {
          const outcomes = await storeUploads(
            this.db,
            batch.map((w) => w.upload),
          );
          for (const [i, w] of batch.entries()) w.resolve(outcomes[i]!);
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
