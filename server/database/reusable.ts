/**
 * One in-memory database serving reference servers started one after another (the audit starts a
 * fresh stack per planted defect). Starting PGlite costs seconds even from the cached schema
 * (pglite-template.ts); emptying its tables costs milliseconds. Each lease hands the database back
 * exactly as it was right after migration: every table holds its migrated rows again (the batch
 * counter's singleton) and every sequence its migrated value, so no key, upload or export of one
 * server is seen by the next.
 */
import { type Database, leasedView, openDatabase, type Sql } from './database.js';

export interface ReusableDatabase {
  /** The database as just migrated; one lease at a time, ended by the lease's `close()`. */
  lease(): Promise<Database>;
  close(): Promise<void>;
}

interface Pristine {
  readonly tables: readonly { readonly name: string; readonly rows: string }[];
  readonly sequences: readonly { readonly name: string; readonly value: string; readonly called: boolean }[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** What migration left in every table and sequence of the public schema. */
async function snapshot(db: Sql): Promise<Pristine> {
  const names = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name",
  );
  const tables = [];
  for (const { name } of names) {
    const [row] = await db.query<{ rows: string }>(
      `SELECT coalesce(json_agg(t), '[]')::text AS rows FROM ${quote(name)} t`,
    );
    tables.push({ name, rows: row?.rows ?? '[]' });
  }
  const sequences = [];
  for (const { name } of await db.query<{ name: string }>(
    "SELECT sequence_name AS name FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY sequence_name",
  )) {
    const [s] = await db.query<{ value: string; called: boolean }>(
      `SELECT last_value::text AS value, is_called AS called FROM ${quote(name)}`,
    );
    if (s) sequences.push({ name, value: s.value, called: s.called });
  }
  return { tables, sequences };
}

async function restore(db: Database, pristine: Pristine): Promise<void> {
  await db.transaction(async (tx) => {
    if (pristine.tables.length > 0)
      await tx.query(`TRUNCATE ${pristine.tables.map((t) => quote(t.name)).join(', ')} RESTART IDENTITY`);
    for (const t of pristine.tables)
      if (t.rows !== '[]')
        await tx.query(
          `INSERT INTO ${quote(t.name)} SELECT * FROM json_populate_recordset(NULL::${quote(t.name)}, $1::json)`,
          [t.rows],
        );
    for (const s of pristine.sequences)
      await tx.query('SELECT setval($1::regclass, $2::bigint, $3)', [quote(s.name), s.value, s.called]);
  });
}

export async function openReusableDatabase(): Promise<ReusableDatabase> {
  const db = await openDatabase({});
  const pristine = await snapshot(db);
  let leased = false;
  let used = false;
  return {
    async lease() {
      if (leased) throw new Error('the reusable database is leased already');
      leased = true;
      if (used) await restore(db, pristine);
      used = true;
      return leasedView(db, () => {
        leased = false;
      });
    },
    close: () => db.close(),
  };
}
