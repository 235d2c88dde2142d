import type { Database } from '../database/database.js';

const INTERVALS_PER_DAY = 144;
const INTERVAL_SECONDS = 600;

/** Reads of published exports: list.json entries and zip bytes, both served from the database. */
export interface ListEntry {
  readonly batchNum: number;
  readonly createdMs: number;
}

export async function listExports(db: Database, region: string): Promise<ListEntry[]> {
  const rows = await db.query<{ batch_num: number; created_ms: string | number }>(
    'SELECT batch_num, created_ms FROM exports WHERE region = $1 ORDER BY batch_num',
    [region],
  );
  return rows.map((r) => ({ batchNum: Number(r.batch_num), createdMs: Number(r.created_ms) }));
}

export async function readExportZip(
  db: Database,
  region: string,
  batchNum: number,
): Promise<Uint8Array | undefined> {
  const rows = await db.query<{ zip: Uint8Array }>(
    'SELECT zip FROM exports WHERE region = $1 AND batch_num = $2',
    [region, batchNum],
  );
  return rows[0]?.zip;
}

/** The delete batch (cocoa.md §3): keys and exports older than the retention window. */
export async function deleteExpired(
  db: Database,
  settings: { readonly retentionDays: number },
  nowMs: number,
): Promise<{ keys: number; exports: number }> {
  const today = Math.floor(nowMs / 1000 / INTERVAL_SECONDS / INTERVALS_PER_DAY) * INTERVALS_PER_DAY;
  const oldest = today - settings.retentionDays * INTERVALS_PER_DAY;
  return db.transaction(async (tx) => {
    const keys = await tx.query(
      'DELETE FROM temporary_exposure_keys WHERE rolling_start_interval_number < $1 RETURNING 1',
      [oldest],
    );
    const exports = await tx.query('DELETE FROM exports WHERE end_timestamp <= $1 RETURNING 1', [
      oldest * INTERVAL_SECONDS,
    ]);
    return { keys: keys.length, exports: exports.length };
  });
}
