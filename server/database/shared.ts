/**
 * One in-memory database serving several reference servers at once, each in a schema of its own.
 * `ichiren watch` starts one embedded server per observed release side by side, and starting PGlite
 * is the largest part of starting a server, even from the cached schema (pglite-template.ts).
 *
 * The first server gets the schema migration made (public, PGlite's search path); every other one a
 * schema it migrates itself, and each of its statements runs in a transaction that first sets the
 * search path to that schema alone. PGlite runs one transaction at a time and a plain statement
 * never runs inside another's transaction, so no server reads or writes another's tables, and a
 * table missing from a schema is an error rather than another server's table.
 */
import { type Database, leasedView, migrate, openDatabase, type Sql } from './database.js';

export interface SharedDatabase {
  /** A schema of its own, migrated, for one server; its `close()` leaves the others running. */
  lease(): Promise<Database>;
  /** Closes the database; every server using it must have stopped. */
  close(): Promise<void>;
}

/** Opens the in-memory database on the first lease. */
export function sharedDatabase(): SharedDatabase {
  let opening: Promise<Database> | undefined;
  let leases = 0;
  return {
    async lease() {
      const n = ++leases;
      opening ??= openDatabase({});
      const db = await opening;
      if (n === 1) return leasedView(db);
      const schema = `server_${n}`;
      await db.query(`CREATE SCHEMA ${schema}`);
      const scoped = inSchema(db, schema);
      await migrate(scoped);
      return scoped;
    },
    async close() {
      const db = await opening?.catch(() => undefined);
      await db?.close();
    },
  };
}

function inSchema(db: Database, schema: string): Database {
  const enter = async (tx: Sql) => {
    await tx.query(`SET LOCAL search_path TO ${schema}`);
    return tx;
  };
  return leasedView({
    ...db,
    query<T>(text: string, params?: readonly unknown[]) {
      return db.transaction(async (tx) => (await enter(tx)).query<T>(text, params));
    },
    transaction: (fn) => db.transaction(async (tx) => fn(await enter(tx))),
  });
}
