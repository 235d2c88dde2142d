import { describe, expect, it } from 'vitest';
import { listMigrations } from './database.js';
import { sharedDatabase } from './shared.js';

const users = async (db: { query<T>(q: string): Promise<T[]> }) =>
  (await db.query<{ user_uuid: string }>('SELECT user_uuid FROM registered_users ORDER BY 1')).map(
    (r) => r.user_uuid,
  );
const addUser = 'INSERT INTO registered_users (user_uuid, secret_sha256, created_ms) VALUES ($1, $2, 0)';

describe('one database shared by servers running side by side', () => {
  it('gives each lease its own migrated tables, unseen by the others, even while transactions interleave', async () => {
    const shared = sharedDatabase();
    try {
      const [a, b, c] = await Promise.all([shared.lease(), shared.lease(), shared.lease()]);
      for (const db of [a, b, c]) {
        const versions = await db!.query<{ version: number }>(
          'SELECT version FROM schema_migrations ORDER BY 1',
        );
        expect(versions.map((v) => Number(v.version))).toEqual(listMigrations().map((m) => m.version));
        expect(await db!.query('SELECT * FROM export_batch_counter')).toHaveLength(1);
      }
      // b's transaction waits half-way; a's plain statement and c's transaction run meanwhile.
      let pause!: () => void;
      const paused = new Promise<void>((resolve) => {
        pause = resolve;
      });
      const inB = b!.transaction(async (tx) => {
        await tx.query(addUser, ['b-1', 'x']);
        await paused;
        await tx.query(addUser, ['b-2', 'x']);
      });
      const inA = a!.query(addUser, ['a-1', 'x']);
      const inC = c!.transaction((tx) => tx.query(addUser, ['c-1', 'x']));
      pause();
      await Promise.all([inA, inB, inC]);
      expect(await users(a!)).toEqual(['a-1']);
      expect(await users(b!)).toEqual(['b-1', 'b-2']);
      expect(await users(c!)).toEqual(['c-1']);
      // A failed transaction leaves its schema as it was and the others' search path untouched.
      await expect(
        c!.transaction(async (tx) => {
          await tx.query(addUser, ['c-2', 'x']);
          await tx.query('SELECT * FROM no_such_table');
        }),
      ).rejects.toThrow(/no_such_table/);
      expect(await users(c!)).toEqual(['c-1']);
      expect(await users(a!)).toEqual(['a-1']);

      // A server's close ends its own use only.
      await b!.close();
      expect(await b!.ping()).toBe(false);
      expect(await a!.ping()).toBe(true);
      expect(await users(c!)).toEqual(['c-1']);
    } finally {
      await shared.close();
    }
  }, 120_000);

  it('closes without ever opening when no server leased it', async () => {
    await expect(sharedDatabase().close()).resolves.toBeUndefined();
  });
});
