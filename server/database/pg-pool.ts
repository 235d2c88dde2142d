import type pg from 'pg';
import type { Sql } from './database.js';

/**
 * One transaction on a client of a node-postgres pool: BEGIN, the work, COMMIT, or ROLLBACK on any
 * error, and the client always released (the reference server's database and the watch history).
 */
export async function poolTransaction<T>(pool: pg.Pool, fn: (tx: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const value = await fn({
      async query<R>(text: string, params: readonly unknown[] = []) {
        return (await client.query(text, params as unknown[])).rows as R[];
      },
    });
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
