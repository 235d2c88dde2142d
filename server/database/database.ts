import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PGlite as PGliteType } from '@electric-sql/pglite';
import { poolTransaction } from './pg-pool.js';
import { pgliteStartOptions } from './pglite-start.js';
import { readTemplate, saveTemplate, templateFile } from './pglite-template.js';

/** The part of SQL the server needs; both PGlite and `pg` sit behind it with the same dialect. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: all of it commits, or none of it. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** True when the database answers (`/ready`). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class DatabaseError extends Error {
  readonly code = 'SERVER_DATABASE';
}

/**
 * The database as one of several users sees it (shared.ts, reusable.ts): its `close()` ends only
 * that use (then `onClose`), after which `ping()` answers false; the database stays open.
 */
export function leasedView(db: Database, onClose?: () => void): Database {
  let ended = false;
  return {
    ...db,
    ping: async () => !ended && (await db.ping()),
    close: async () => {
      if (ended) return;
      ended = true;
      onClose?.();
    },
  };
}

export interface DatabaseOptions {
  readonly databaseUrl?: string;
  readonly dataDir?: string;
}

/** Opens PostgreSQL (`databaseUrl`) or PGlite (data dir or in memory) and applies pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  // In memory, start from the cached empty schema when there is one (pglite-template.ts).
  const template = options.databaseUrl || options.dataDir ? undefined : templateFile(migrationSql());
  const cached = template ? readTemplate(template) : undefined;
  const { db, pg } = options.databaseUrl
    ? { db: await openPostgres(options.databaseUrl), pg: undefined }
    : await openPglite(options.dataDir, cached);
  try {
    const applied = await migrate(db);
    if (pg && template && (!cached || applied.length > 0)) await saveTemplate(pg, template);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}

const migrationSql = () => listMigrations().map((m) => `${m.name}\n${m.sql}`);

async function openPglite(
  dataDir: string | undefined,
  template: Blob | undefined,
): Promise<{ db: Database; pg: PGliteType }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const start = await pgliteStartOptions();
  const pg = new PGlite(
    dataDir ? { dataDir, ...start } : { ...start, ...(template ? { loadDataDir: template } : {}) },
  );
  await pg.waitReady;
  const asSql = (q: { query: typeof pg.query }): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      const result = await q.query<T>(text, params as unknown[]);
      return result.rows;
    },
  });
  const db: Database = {
    kind: 'pglite',
    ...asSql(pg),
    transaction: (fn) => pg.transaction((tx) => fn(asSql(tx))),
    ...lifecycle(
      () => pg.query('SELECT 1'),
      () => pg.close(),
    ),
  };
  return { db, pg };
}

/** ping and close, alike for both drivers: ping is false once closed or when SELECT 1 fails. */
function lifecycle(select1: () => Promise<unknown>, end: () => Promise<void>) {
  let closed = false;
  return {
    async ping() {
      if (closed) return false;
      try {
        await select1();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await end();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error must not crash the server; queries report their own errors.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    async query<T>(text: string, params: readonly unknown[] = []) {
      const result = await pool.query(text, params as unknown[]);
      return result.rows as T[];
    },
    transaction: <T>(fn: (tx: Sql) => Promise<T>) => poolTransaction(pool, fn),
    ...lifecycle(
      () => pool.query('SELECT 1'),
      () => pool.end(),
    ),
  };
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Versioned SQL files `NNN_name.sql`, applied in order, each in its own transaction. */
export function listMigrations(): { version: number; name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f,
      sql: readFileSync(`${MIGRATIONS_DIR}${f}`, 'utf8'),
    }));
}

export async function migrate(db: Database): Promise<number[]> {
  await db.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_ms bigint NOT NULL)',
  );
  const done = new Set(
    (await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) =>
      Number(r.version),
    ),
  );
  const applied: number[] = [];
  for (const m of listMigrations()) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        Date.now(),
      ]);
    });
    applied.push(m.version);
  }
  return applied;
}

/** Our migrations hold no functions or quoted semicolons, so a split on `;` at line end suffices. */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/--[^\n]*/g, '')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
