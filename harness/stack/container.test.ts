import { describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_IMAGE, DEFAULT_SERVER_IMAGE, startStack } from './index.js';
import { dockerAvailable, imageExists } from './targets/docker.js';
import { refusesConnections } from './testing.js';

// Needs a running Docker engine and the images of `node scripts/build-image.mjs` (no registry here).
// Without them these tests skip, and the reason is printed rather than hidden.
const engine = dockerAvailable();
const images = engine && imageExists(DEFAULT_SERVER_IMAGE) && imageExists(DEFAULT_DATABASE_IMAGE);
const skipReason = !engine
  ? 'no Docker engine answers `docker info`'
  : !images
    ? `images ${DEFAULT_SERVER_IMAGE}/${DEFAULT_DATABASE_IMAGE} missing: run node scripts/build-image.mjs`
    : '';
if (skipReason) console.warn(`container target tests skipped: ${skipReason}`);

describe('container target', () => {
  it.skipIf(!images)(
    'runs the server image on PostgreSQL, publishes, and removes both containers on stop',
    async () => {
      const { execa } = await import('execa');
      const running = async () =>
        (await execa('docker', ['ps', '-q', '--filter', `ancestor=${DEFAULT_SERVER_IMAGE}`])).stdout.trim();
      const before = await running();
      const stack = await startStack({ target: 'container', serverBehaviour: '2021-02-17' });
      try {
        const base = stack.server.apiUrlBase.replace(/\/api$/, '');
        expect((await fetch(`${base}/ready`)).status).toBe(200);
        expect(await stack.publish()).toMatchObject({ ok: true, files: [] });
        // The server really migrated the PostgreSQL container's database (not PGlite).
        const databaseUrl = stack
          .logs()
          .map((l) => /DATABASE_URL=(\S+)/.exec(l.line)?.[1])
          .find(Boolean);
        expect(databaseUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          const { rows } = await client.query(
            "select count(*)::int as n from information_schema.tables where table_schema = 'public'",
          );
          expect(rows[0].n).toBeGreaterThan(0);
        } finally {
          await client.end();
        }
      } finally {
        await stack.stop();
      }
      expect(await refusesConnections(stack.server.apiUrlBase)).toBe(true);
      expect(await running()).toBe(before);
    },
    120_000,
  );

  it.skipIf(engine)('reports a missing engine with its own code', async () => {
    await expect(startStack({ target: 'container' })).rejects.toMatchObject({
      code: 'STACK_ENGINE_UNAVAILABLE',
    });
  });
});
