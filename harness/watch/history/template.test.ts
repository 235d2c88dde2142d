import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { historyTemplateFile, listMigrations, openHistory } from './db.js';

const root = mkdtempSync(path.join(tmpdir(), 'ichiren-history-template-'));
const previous = process.env.ICHIREN_CACHE_DIR;
process.env.ICHIREN_CACHE_DIR = path.join(root, 'cache');
afterAll(() => {
  if (previous === undefined) delete process.env.ICHIREN_CACHE_DIR;
  else process.env.ICHIREN_CACHE_DIR = previous;
  rmSync(root, { recursive: true, force: true });
});

const tables = async (db: { query<T>(q: string): Promise<T[]> }) =>
  (
    await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    )
  ).map((t) => t.table_name);
const versions = async (db: { query<T>(q: string): Promise<T[]> }) =>
  (await db.query<{ version: number }>('SELECT version FROM watch_schema_migrations ORDER BY version')).map(
    (v) => Number(v.version),
  );

describe('a new PGlite history starts from the cached, migrated empty schema', () => {
  it('saves the template when initdb made the history, and not the data written later', async () => {
    const file = historyTemplateFile();
    expect(existsSync(file)).toBe(false);
    const first = await openHistory({ dir: path.join(root, 'first') });
    expect(existsSync(file)).toBe(true);
    const made = await tables(first);
    await first.query(
      "INSERT INTO watch_alerts (series, run_id, kind, created_at, payload) VALUES ('s', NULL, 'daily-summary', now(), '{}')",
    );
    await first.close();

    const second = await openHistory({ dir: path.join(root, 'second') });
    expect(await tables(second)).toEqual(made);
    expect(await versions(second)).toEqual(listMigrations().map((m) => m.version));
    expect(await second.query('SELECT * FROM watch_alerts')).toEqual([]);
    await second.close();
  }, 300_000);

  it('loads the template into a new directory, then applies the migrations it lacks', async () => {
    // A template holding an extra marker table and no migration at all: the history made from it
    // has the marker (it was loaded, not made by initdb) and every migration (they still ran).
    const pg = new PGlite();
    await pg.query('CREATE TABLE template_marker (x int)');
    const dump = await pg.dumpDataDir('none');
    await pg.close();
    const file = historyTemplateFile();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));

    const db = await openHistory({ dir: path.join(root, 'from-template') });
    try {
      expect(await tables(db)).toContain('template_marker');
      expect(await versions(db)).toEqual(listMigrations().map((m) => m.version));
      expect(await tables(db)).toContain('watch_runs');
    } finally {
      await db.close();
    }
    // It applied migrations, so it was saved as the new template: the next history has them at once.
    const next = await openHistory({ memory: true });
    expect(await versions(next)).toEqual(listMigrations().map((m) => m.version));
    await next.close();
  }, 300_000);
});
