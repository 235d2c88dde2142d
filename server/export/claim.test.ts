import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadSigner } from '../../harness/protocol/index.js';
import { type Database, openDatabase, type Sql } from '../database/database.js';
import { runExportBatch } from './publish.js';

// Publishing claims every key it exports (exported = true). That claim must stay a heap-only update:
// once an index names `exported` again, each claim writes an entry into every index and publishing
// 10^6 keys takes much longer (migration 003, server/README.md "Storage and publishing").

// A database per test: PGlite's pg_stat_xact_user_tables counts on across transactions.
let db: Database;
beforeEach(async () => {
  db = await openDatabase({});
});
afterEach(() => db.close());

// A batch below `largeClaimKeys` claims into memory, a larger one through a temporary table (the
// default 20,000 keys; 0 sends this small batch that way too). Both must give the same files.
const filesByPath = new Map<string, string[]>();
for (const path of [
  { name: 'in memory', largeClaimKeys: undefined },
  { name: 'through a temporary table', largeClaimKeys: 0 },
]) {
  it(`claims the keys it exports in place (heap-only updates), each exported once: ${path.name}`, async () => {
    const today = Math.floor(Date.now() / 600_000 / 144) * 144;
    const count = 2_000;
    await db.query(
      `INSERT INTO temporary_exposure_keys (id, key_data, rolling_start_interval_number, rolling_period,
         transmission_risk_level, region, received_ms)
       SELECT $3 || i, decode(md5($3 || i::text), 'hex'), $1 - (1 + i % 13) * 144, 144, 4, '440', 0
         FROM generate_series(1, $2) AS i`,
      [today, count, path.name],
    );
    let claims: { n_tup_upd: string | number; n_tup_hot_upd: string | number } | undefined;
    // The batch's own transaction, observed from inside before it commits.
    const observed: Database = Object.assign(Object.create(db) as Database, {
      transaction: <T>(fn: (tx: Sql) => Promise<T>) =>
        db.transaction(async (tx) => {
          const result = await fn(tx);
          [claims] = await tx.query<NonNullable<typeof claims>>(
            `SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'temporary_exposure_keys'`,
          );
          return result;
        }),
    });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer = loadSigner(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), '440', 'v1');
    const settings = {
      region: '440',
      maxKeysPerFile: 750,
      retentionDays: 14,
      signers: [signer],
      ...(path.largeClaimKeys === undefined ? {} : { largeClaimKeys: path.largeClaimKeys }),
    };

    const files = await runExportBatch(observed, settings, Date.now());
    expect(files.reduce((n, f) => n + f.keyCount, 0)).toBe(count);
    expect(Number(claims?.n_tup_upd)).toBe(count);
    expect(Number(claims?.n_tup_hot_upd)).toBe(count);
    // Claimed means published: the next batch finds nothing left to export.
    expect(await runExportBatch(db, settings, Date.now())).toEqual([]);
    // One file per rolling-start day, oldest first, whichever way the keys were claimed.
    const days = files.map((f) => `${f.startTimestamp}:${f.keyCount}`);
    expect(files.map((f) => f.startTimestamp)).toEqual([...files.map((f) => f.startTimestamp)].sort());
    expect(new Set(days).size).toBe(13);
    filesByPath.set(path.name, days);
    if (filesByPath.size === 2) expect(filesByPath.get('in memory')).toEqual(days);
  });
}
