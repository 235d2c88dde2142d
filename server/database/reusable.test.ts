import { describe, expect, it } from 'vitest';
import { openDatabase, type Sql } from './database.js';
import { openReusableDatabase } from './reusable.js';

/** Every table's rows and every sequence's state, as text: what a server could read. */
async function contents(db: Sql): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const tables = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY 1",
  );
  for (const { name } of tables) {
    const [r] = await db.query<{ rows: string }>(
      `SELECT coalesce(json_agg(t ORDER BY t::text), '[]')::text AS rows FROM "${name}" t`,
    );
    out[name] = r?.rows ?? '';
  }
  const sequences = await db.query<{ name: string }>(
    "SELECT sequence_name AS name FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY 1",
  );
  for (const { name } of sequences) {
    const [s] = await db.query<{ v: string }>(`SELECT last_value || ' ' || is_called AS v FROM "${name}"`);
    out[`sequence ${name}`] = s?.v ?? '';
  }
  return out;
}

describe('a reusable database', () => {
  it('hands each lease the database exactly as freshly migrated, whatever the last one wrote', async () => {
    const fresh = await openDatabase({});
    const migrated = await contents(fresh);
    await fresh.close();
    expect(Object.keys(migrated)).toContain('export_batch_counter');

    const reusable = await openReusableDatabase();
    try {
      const first = await reusable.lease();
      expect(await contents(first)).toEqual(migrated);
      // What a server leaves behind: a key, an upload, an export, a used batch number and sequence.
      await first.query(
        "INSERT INTO temporary_exposure_keys (id, key_data, rolling_start_interval_number, rolling_period, transmission_risk_level, region, received_ms) VALUES ('k', '\\x01', 1, 144, 4, '440', 1)",
      );
      await first.query(
        "INSERT INTO uploads (number_sha256, upload_sha256, route, key_count, received_ms) VALUES ('n', 'u', 'v1', 1, 1)",
      );
      await first.query(
        "INSERT INTO exports (batch_num, region, start_timestamp, end_timestamp, key_count, created_ms, zip) VALUES (1, '440', 0, 1, 1, 1, '\\x00')",
      );
      await first.query('UPDATE export_batch_counter SET last_batch_num = 7');
      await first.query("SELECT nextval('export_batch_num')");
      expect(await contents(first)).not.toEqual(migrated);
      await expect(reusable.lease()).rejects.toThrow(/leased already/);
      await first.close();
      expect(await first.ping()).toBe(false);

      const second = await reusable.lease();
      expect(await contents(second)).toEqual(migrated);
      await second.close();
    } finally {
      await reusable.close();
    }
  }, 300_000);
});
