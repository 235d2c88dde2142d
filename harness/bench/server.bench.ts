/**
 * Reference server benchmark (prints figures, asserts nothing):
 * - uploads accepted per second, `/api/v2/diagnosis` with 14 keys and HER-SYS verification over
 *   loopback, on PGlite and on PostgreSQL (target ≥ 500/s on PostgreSQL);
 * - seconds and peak RSS to sign and publish 10^5 and 10^6 keys (target 10^6 in ≤ 10 s, ≤ 1 GiB).
 * Each case runs in its own process so one's memory does not skew another's peak.
 * Run: `npm run bench -- server` or `node --import tsx harness/bench/server.bench.ts [case]`.
 */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const self = fileURLToPath(import.meta.url);
const CASES = [
  'upload:pglite',
  'upload:postgres',
  'publish:pglite:100000',
  'publish:postgres:100000',
  'publish:postgres:1000000',
  'publish:pglite:1000000',
];

async function withDatabase<T>(
  kind: string,
  fn: (databaseUrl: string | undefined) => Promise<T>,
): Promise<T | string> {
  if (kind !== 'postgres') return fn(undefined);
  const { postgresUnavailableReason, startTestPostgres } = await import('../../server/testing/postgres.js');
  const reason = postgresUnavailableReason();
  if (reason) return `skipped: ${reason}`;
  const pg = await startTestPostgres();
  try {
    return await fn(pg.url);
  } finally {
    await pg.stop();
  }
}

async function uploadCase(kind: string): Promise<string> {
  const { startReferenceServer } = await import('../../server/index.js');
  const { startOkHersys } = await import('../../server/testing/ok-hersys.js');
  const { v2Body, wireKey } = await import('../../server/testing/uploads.js');
  const hersys = await startOkHersys();
  try {
    const result = await withDatabase(kind, async (databaseUrl) => {
      const server = await startReferenceServer({ databaseUrl, hersys: { url: hersys.url } });
      try {
        const bodies = Array.from({ length: 3000 }, () =>
          JSON.stringify(
            v2Body(
              '12345678',
              Array.from({ length: 14 }, (_, d) => wireKey({ daysAgo: d })),
            ),
          ),
        );
        const send = async (body: string) => {
          const res = await fetch(`${server.apiUrlBase}/v2/diagnosis`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body,
          });
          await res.arrayBuffer();
          return res.status;
        };
        for (const b of bodies.slice(0, 200)) await send(b); // warm-up
        let next = 200;
        let accepted = 0;
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: 32 }, async () => {
            while (next < bodies.length) {
              const body = bodies[next++]!;
              if ((await send(body)) === 204) accepted++;
            }
          }),
        );
        const seconds = (performance.now() - t0) / 1000;
        return `${accepted} uploads accepted in ${seconds.toFixed(2)} s = ${(accepted / seconds).toFixed(0)} uploads/s (14 keys each, 32 concurrent, client in the same process); HER-SYS calls ${hersys.calls()}`;
      } finally {
        await server.stop();
      }
    });
    return String(result);
  } finally {
    await hersys.stop();
  }
}

async function publishCase(kind: string, count: number): Promise<string> {
  const { openDatabase } = await import('../../server/database/database.js');
  const { runExportBatch } = await import('../../server/export/publish.js');
  const { loadSigner } = await import('../../harness/protocol/index.js');
  const { readFileSync } = await import('node:fs');
  const { TEST_SIGNING_KEY_PATH } = await import('../../server/config.js');
  const result = await withDatabase(kind, async (databaseUrl) => {
    const db = await openDatabase({ databaseUrl });
    try {
      const today = Math.floor(Date.now() / 600_000 / 144) * 144;
      // Synthetic keys spread over 14 days, inserted by the database itself.
      await db.query(
        `INSERT INTO temporary_exposure_keys (id, key_data, rolling_start_interval_number, rolling_period,
           transmission_risk_level, region, received_ms)
         SELECT 'k' || i, decode(md5(i::text), 'hex'), $1 - (i % 14) * 144, 144, 4, '440', 0
           FROM generate_series(1, $2) AS i`,
        [today - 144, count],
      );
      const rssBefore = process.memoryUsage().rss;
      const signer = loadSigner(readFileSync(TEST_SIGNING_KEY_PATH, 'utf8'), '440', 'v1');
      const t0 = performance.now();
      const files = await runExportBatch(
        db,
        { region: '440', maxKeysPerFile: 250_000, retentionDays: 14, signers: [signer] },
        Date.now(),
      );
      const seconds = (performance.now() - t0) / 1000;
      const keys = files.reduce((n, f) => n + f.keyCount, 0);
      const peak = process.resourceUsage().maxRSS / 1024;
      return `${keys} keys → ${files.length} files in ${seconds.toFixed(2)} s; peak RSS ${peak.toFixed(0)} MiB (before batch ${(rssBefore / 2 ** 20).toFixed(0)} MiB, includes the ${kind === 'pglite' ? 'in-process PGlite' : 'pg client'})`;
    } finally {
      await db.close();
    }
  });
  return String(result);
}

const [arg] = process.argv.slice(2);
if (arg && CASES.includes(arg)) {
  const [what, kind, n] = arg.split(':');
  const line = what === 'upload' ? await uploadCase(kind!) : await publishCase(kind!, Number(n));
  process.stdout.write(`${arg.padEnd(26)} ${line}\n`);
} else {
  for (const c of CASES) {
    const r = await execa('node', ['--expose-gc', '--import', 'tsx', self, c], {
      reject: false,
      timeout: 300_000,
    });
    const why = `${String(r.stderr ?? '')}${r.failed ? ` ${r.shortMessage ?? ''}` : ''}`;
    process.stdout.write(
      r.exitCode === 0 ? `${r.stdout}\n` : `${c.padEnd(26)} failed: ${why.split('\n').slice(-3).join(' ')}\n`,
    );
  }
}
