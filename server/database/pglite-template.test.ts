import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listMigrations, openDatabase } from './database.js';
import { templateFile } from './pglite-template.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ichiren-pglite-cache-'));
const previous = process.env.ICHIREN_CACHE_DIR;
process.env.ICHIREN_CACHE_DIR = dir;
afterAll(() => {
  if (previous === undefined) delete process.env.ICHIREN_CACHE_DIR;
  else process.env.ICHIREN_CACHE_DIR = previous;
  rmSync(dir, { recursive: true, force: true });
});

describe('in-memory PGlite from the cached empty schema', () => {
  it('caches the migrated schema on first open and starts from it, empty, the next time', async () => {
    const file = templateFile(listMigrations().map((m) => `${m.name}\n${m.sql}`));
    expect(existsSync(file)).toBe(false);
    const first = await openDatabase({});
    const tables = await first.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    await first.query('CREATE TABLE scratch (x int)');
    await first.close();
    expect(readdirSync(dir)).toEqual([path.basename(file)]);

    const second = await openDatabase({});
    const again = await second.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    // Same schema, and nothing written after the dump (the scratch table) came back.
    expect(again[0]?.n).toBe(tables[0]?.n);
    const versions = await second.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(versions.map((v) => Number(v.version))).toEqual(listMigrations().map((m) => m.version));
    await second.close();
  }, 300_000); // two in-memory PGlites, one by initdb in WebAssembly: a minute on a loaded machine
});
