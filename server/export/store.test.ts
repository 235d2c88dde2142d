import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../database/database.js';
import { countKeys, insertKeys } from '../database/key-store.js';
import { todayInterval } from '../testing/uploads.js';
import { deleteExpired, listExports } from './store.js';

describe('retention (the 14-day delete batch, cocoa.md §3)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({});
  });
  afterAll(() => db.close());

  it('deletes keys and exports older than 14 days and keeps younger ones', async () => {
    const today = todayInterval();
    const key = (id: string, daysAgo: number) => ({
      id,
      keyData: Buffer.alloc(16, id.charCodeAt(0)),
      rollingStartIntervalNumber: today - daysAgo * 144,
      rollingPeriod: 144,
      transmissionRiskLevel: 4,
      reportType: null,
      daysSinceOnsetOfSymptoms: null,
      region: '440',
    });
    expect(await insertKeys(db, [key('a', 15), key('b', 14), key('c', 1)], 0)).toBe(3);
    for (const [batch, daysAgo] of [
      [1, 16],
      [2, 3],
    ] as const) {
      const start = (today - daysAgo * 144) * 600;
      await db.query(
        'INSERT INTO exports (batch_num, region, start_timestamp, end_timestamp, key_count, created_ms, zip) VALUES ($1, $2, $3, $4, 1, 0, $5)',
        [batch, '440', start, start + 86_400, Buffer.from('zip')],
      );
    }
    expect(await deleteExpired(db, { retentionDays: 14 }, Date.now())).toEqual({ keys: 1, exports: 1 });
    expect((await countKeys(db)).total).toBe(2);
    expect((await listExports(db, '440')).map((e) => e.batchNum)).toEqual([2]);
  });
});

describe('migrations', () => {
  it('apply once: reopening a data dir applies nothing again', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { migrate } = await import('../database/database.js');
    const dir = mkdtempSync(join(tmpdir(), 'ichiren-mig-'));
    try {
      const a = await openDatabase({ dataDir: dir });
      await a.close();
      const b = await openDatabase({ dataDir: dir });
      expect(await migrate(b)).toEqual([]);
      // One row per migration file, each applied once.
      const files = (await import('node:fs')).readdirSync(
        new URL('../database/migrations/', import.meta.url),
      );
      expect((await b.query('SELECT version FROM schema_migrations')).length).toBe(
        files.filter((f) => f.endsWith('.sql')).length,
      );
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
