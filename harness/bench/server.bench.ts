/**
 * Reference server benchmark (prints figures, asserts nothing):
 * - uploads accepted per second, `/api/v2/diagnosis` with 14 keys and HER-SYS verification over
 *   loopback, on PGlite (target ≥ 500/s) and on PostgreSQL (target ≥ 1,000/s), each with a profile
 *   of its stages (HER-SYS round trip, JSON + validation, database write);
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

/** Issue #15 targets, uploads of 14 keys per second on 2 cores. */
const UPLOAD_TARGET: Record<string, number> = { postgres: 1000, pglite: 500 };
const UPLOADS = 3000;
const WARM_UP = 300;
const CONCURRENCY = 50;

/** 14 keys (13 past days and today's, still live) under its own processing number. */
async function makeBodies(n: number, firstNumber = 20_000_000): Promise<string[]> {
  const { v2Body, wireKey } = await import('../../server/testing/uploads.js');
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify(
      v2Body(
        String(firstNumber + i),
        Array.from({ length: 14 }, (_, d) => wireKey({ daysAgo: d })),
      ),
    ),
  );
}

const perUpload = (ms: number, n: number) => `${((ms * 1000) / n).toFixed(0)} µs`;

/**
 * Where an upload's time goes, each stage alone in this process (CPU-bound stages, so µs per upload):
 * the HER-SYS round trip over loopback, JSON parsing + validation, and the database write.
 */
async function profile(kind: string, databaseUrl: string | undefined, hersysUrl: string): Promise<string> {
  const { verifyProcessingNumber } = await import('../../server/verification/hersys-client.js');
  const { checkKeys } = await import('../../server/diagnosis/keys.js');
  const { parseServerConfig } = await import('../../server/config.js');
  const { openDatabase } = await import('../../server/database/database.js');
  const { UploadWriter, numberSha256, uploadSha256 } = await import('../../server/database/upload-store.js');
  const config = parseServerConfig({ hersys: { url: hersysUrl } });
  const n = 1000;
  const bodies = await makeBodies(n, 30_000_000);
  let t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = w; i < n; i += CONCURRENCY)
        await verifyProcessingNumber(config.hersys, String(i), 'x'.repeat(64));
    }),
  );
  const hersysMs = performance.now() - t;
  t = performance.now();
  const uploads = bodies.map((text) => {
    const body = JSON.parse(text);
    const accepted = checkKeys('v2', body, {
      behaviour: config.behaviour,
      region: config.region,
      nowMs: Date.now(),
      maxKeysPerUpload: 30,
      retentionDays: 14,
      infectiousWindow: config.infectiousWindow,
    });
    return {
      numberSha256: numberSha256(body.verificationPayload),
      uploadSha256: uploadSha256(body.verificationPayload, body.keys),
      route: 'v2',
      keys: accepted.keys,
      receivedMs: Date.now(),
    };
  });
  const validateMs = performance.now() - t;
  const db = await openDatabase({ databaseUrl });
  try {
    const writer = new UploadWriter(db);
    t = performance.now();
    await Promise.all(uploads.map((u) => writer.store(u)));
    const storeMs = performance.now() - t;
    return `  profile (${kind}, per upload, stage alone): HER-SYS round trip ${perUpload(hersysMs, n)} (${CONCURRENCY} concurrent), JSON + validation + hashes ${perUpload(validateMs, n)}, group-committed insert of 14 keys ${perUpload(storeMs, n)}`;
  } finally {
    await db.close();
  }
}

async function uploadCase(kind: string): Promise<string> {
  const { startReferenceServer } = await import('../../server/index.js');
  const { startOkHersys } = await import('../../server/testing/ok-hersys.js');
  const hersys = await startOkHersys();
  try {
    const result = await withDatabase(kind, async (databaseUrl) => {
      const server = await startReferenceServer({ databaseUrl, hersys: { url: hersys.url } });
      let line: string;
      try {
        const bodies = await makeBodies(UPLOADS);
        // The load generator shares the process: undici's request keeps its own CPU small (fetch
        // costs about three times as much per call), so the figure is mostly the server's.
        const { Agent, request } = await import('undici');
        const client = new Agent({ connections: CONCURRENCY });
        const send = async (body: string) => {
          const res = await request(`${server.apiUrlBase}/v2/diagnosis`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body,
            dispatcher: client,
          });
          await res.body.dump();
          return res.statusCode;
        };
        for (const b of bodies.slice(0, WARM_UP)) await send(b);
        let next = WARM_UP;
        let accepted = 0;
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < bodies.length) {
              const body = bodies[next++]!;
              if ((await send(body)) === 204) accepted++;
            }
          }),
        );
        const seconds = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        const rate = accepted / seconds;
        const target = UPLOAD_TARGET[kind]!;
        line = `${accepted} uploads accepted in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} uploads/s (target ≥ ${target}: ${rate >= target ? 'met' : 'NOT met'}; 14 keys each, ${CONCURRENCY} concurrent, distinct numbers, client and HER-SYS in the same process); this process's CPU ${perUpload((cpu.user + cpu.system) / 1000, accepted)} per upload; HER-SYS calls ${hersys.calls()}`;
      } finally {
        await server.stop();
      }
      return `${line}\n${await profile(kind, databaseUrl, hersys.url)}`;
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
