/**
 * The history database: PostgreSQL through `pg` when a URL is given (DATABASE_URL), else PGlite in a
 * directory — the drivers the reference server uses (server/database). Migrations are versioned SQL
 * files beside this module, applied under an advisory lock so observers starting together do not
 * race. A PGlite directory belongs to one process at a time: a lock file serialises observers.
 * A new PGlite history (directory or memory) starts from the cached empty, migrated schema the
 * reference server's database uses too (server/database/pglite-template.ts): initdb in WebAssembly
 * takes seconds, loading the dump a fraction of one. Migrations still run after the load.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { poolTransaction } from '../../../server/database/pg-pool.js';
import { pgliteStartOptions } from '../../../server/database/pglite-start.js';
import { readTemplate, saveTemplate, templateFile } from '../../../server/database/pglite-template.js';

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface HistoryDb extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Where the history lives, without credentials (for messages). */
  readonly location: string;
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface HistoryLocation {
  /** postgres://… (DATABASE_URL); wins over `dir`. */
  readonly databaseUrl?: string;
  /** PGlite data directory (default `.ichiren/history`). */
  readonly dir?: string;
  /** In memory, gone on close (tests, dry runs). */
  readonly memory?: boolean;
  /** How long to wait for another observer's lock on a PGlite directory (default 6 min). */
  readonly lockWaitMs?: number;
}

export const DEFAULT_HISTORY_DIR = '.ichiren/history';

/** A history that cannot be opened: an environment problem, never a broken link. */
export class HistoryError extends Error {
  readonly code = 'ICHIREN_HISTORY';
}

/** Lock key of the migrations and of each append (pg_advisory_xact_lock); any fixed number. */
export const HISTORY_LOCK_KEY = 180_218;

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export function listMigrations(): { version: number; name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f,
      sql: readFileSync(path.join(MIGRATIONS_DIR, f), 'utf8'),
    }));
}

/** Our migrations hold no functions or quoted semicolons: a split on `;` at line end suffices. */
function statements(sql: string): string[] {
  return sql
    .replace(/--[^\n]*/g, '')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function migrate(db: HistoryDb): Promise<number[]> {
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [HISTORY_LOCK_KEY]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS watch_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM watch_schema_migrations')).map((r) =>
        Number(r.version),
      ),
    );
    const applied: number[] = [];
    for (const m of listMigrations()) {
      if (done.has(m.version)) continue;
      for (const s of statements(m.sql)) await tx.query(s);
      await tx.query('INSERT INTO watch_schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
    return applied;
  });
}

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

/** Opens (and migrates) the history. Throws HistoryError naming the location when it cannot. */
export async function openHistory(location: HistoryLocation): Promise<HistoryDb> {
  let db: HistoryDb;
  let fresh: FreshPglite | undefined;
  try {
    if (location.databaseUrl) db = await openPostgres(location.databaseUrl);
    else
      ({ db, fresh } = await openPglite(
        location.memory ? undefined : (location.dir ?? DEFAULT_HISTORY_DIR),
        location.lockWaitMs ?? 360_000,
      ));
  } catch (e) {
    if (e instanceof HistoryError) throw e;
    const where = location.databaseUrl ? redact(location.databaseUrl) : (location.dir ?? DEFAULT_HISTORY_DIR);
    throw new HistoryError(`history ${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const applied = await migrate(db);
    // A history made by initdb, or from a template older than the migrations, becomes the template.
    if (fresh && (!fresh.fromTemplate || applied.length > 0))
      await saveTemplate(fresh.pg, fresh.templateFile);
  } catch (e) {
    await db.close().catch(() => {});
    throw new HistoryError(`history ${db.location}: migration failed: ${(e as Error).message}`);
  }
  return db;
}

/** The template of an empty history: keyed by PGlite's version and these migrations. */
export const historyTemplateFile = (): string =>
  templateFile(listMigrations().map((m) => `watch history\n${m.name}\n${m.sql}`));

/** A PGlite history this open created (no data yet), and whether it came from the template. */
interface FreshPglite {
  readonly pg: PGlite;
  readonly templateFile: string;
  readonly fromTemplate: boolean;
}

async function openPglite(
  dir: string | undefined,
  lockWaitMs: number,
): Promise<{ db: HistoryDb; fresh?: FreshPglite }> {
  if (dir) mkdirSync(dir, { recursive: true });
  const lockfile = await import('proper-lockfile');
  const release = !dir
    ? async () => {}
    : await lockfile
        .lock(dir, {
          realpath: false,
          // PGlite's WebAssembly can hold the event loop for seconds on a loaded machine, delaying
          // the lock's refresh: only a lock untouched for 5 minutes is taken for a dead observer's.
          stale: 300_000,
          update: 10_000,
          retries: { retries: Math.ceil(lockWaitMs / 500), factor: 1, minTimeout: 500, maxTimeout: 500 },
        })
        .catch((e: Error) => {
          throw new HistoryError(
            `history ${dir}: another observer holds it (${e.message}); a PGlite history serves one process at a time — use DATABASE_URL for concurrent observers`,
          );
        });
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    // Checked under the lock: no other observer creates this directory meanwhile.
    const isNew = !dir || !existsSync(path.join(dir, 'PG_VERSION'));
    const file = isNew ? historyTemplateFile() : undefined;
    const template = file ? readTemplate(file) : undefined;
    const pg = new PGlite({
      ...(await pgliteStartOptions()),
      ...(dir ? { dataDir: dir } : {}),
      ...(template ? { loadDataDir: template } : {}),
    });
    await pg.waitReady;
    const asSql = (q: { query: typeof pg.query }): Sql => ({
      async query<T>(text: string, params: readonly unknown[] = []) {
        return (await q.query<T>(text, params as unknown[])).rows;
      },
    });
    let closed = false;
    const db: HistoryDb = {
      kind: 'pglite',
      location: dir ?? 'memory',
      ...asSql(pg),
      transaction: (fn) => pg.transaction((tx) => fn(asSql(tx))),
      async close() {
        if (closed) return;
        closed = true;
        try {
          await pg.close();
        } finally {
          await release().catch(() => {});
        }
      },
    };
    return file ? { db, fresh: { pg, templateFile: file, fromTemplate: template !== undefined } } : { db };
  } catch (e) {
    await release().catch(() => {});
    throw e;
  }
}

async function openPostgres(url: string): Promise<HistoryDb> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => {}); // an idle client's error must not crash the observer
  await pool.query('SELECT 1');
  let closed = false;
  return {
    kind: 'postgres',
    location: redact(url),
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await pool.query(text, params as unknown[])).rows as T[];
    },
    transaction: <T>(fn: (tx: Sql) => Promise<T>) => poolTransaction(pool, fn),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
