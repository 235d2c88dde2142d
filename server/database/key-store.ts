import type { StoredKey } from '../diagnosis/keys.js';
import type { Sql } from './database.js';

/**
 * Stores one upload's keys in one statement (all-or-nothing). v3 ids are deterministic: a retry with
 * the same idempotency key finds its rows and inserts nothing. COCOA's Cosmos upsert replaced the
 * document, which also reset Exported=false (a republish, UNVERIFIED whether it happened); we keep the
 * first copy so a retry never publishes a key twice.
 */
export async function insertKeys(sql: Sql, keys: readonly StoredKey[], receivedMs: number): Promise<number> {
  if (keys.length === 0) return 0;
  const params: unknown[] = [];
  const rows: string[] = [];
  for (const k of keys) {
    const p = params.length;
    params.push(
      k.id,
      k.keyData,
      k.rollingStartIntervalNumber,
      k.rollingPeriod,
      k.transmissionRiskLevel,
      k.reportType,
      k.daysSinceOnsetOfSymptoms,
      k.region,
      receivedMs,
    );
    rows.push(
      `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}, $${p + 9})`,
    );
  }
  const inserted = await sql.query(
    `INSERT INTO temporary_exposure_keys (id, key_data, rolling_start_interval_number, rolling_period,
       transmission_risk_level, report_type, days_since_onset_of_symptoms, region, received_ms)
     VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING RETURNING id`,
    params,
  );
  return inserted.length;
}

export async function registerUser(
  sql: Sql,
  userUuid: string,
  secretSha256: string,
  nowMs: number,
): Promise<void> {
  await sql.query('INSERT INTO registered_users (user_uuid, secret_sha256, created_ms) VALUES ($1, $2, $3)', [
    userUuid,
    secretSha256,
    nowMs,
  ]);
}

export async function userSecretSha256(sql: Sql, userUuid: string): Promise<string | undefined> {
  const rows = await sql.query<{ secret_sha256: string }>(
    'SELECT secret_sha256 FROM registered_users WHERE user_uuid = $1',
    [userUuid],
  );
  return rows[0]?.secret_sha256;
}

/** Counts for tests and the admin status: stored keys, of which exported. */
export async function countKeys(sql: Sql): Promise<{ total: number; exported: number }> {
  const [row] = await sql.query<{ total: string | number; exported: string | number }>(
    'SELECT count(*) AS total, count(*) FILTER (WHERE exported) AS exported FROM temporary_exposure_keys',
  );
  return { total: Number(row!.total), exported: Number(row!.exported) };
}
