/** The reference notification server (COCOA-compatible, cocoa.md §1–§3): public surface. */
import { createPublicKey } from 'node:crypto';
import { loadSigner } from '../harness/protocol/index.js';
import { buildApp } from './app.js';
import { storedRegion } from './cells.js';
import { OffsetClock, parseIsoTime, type ServerClock } from './clock.js';
import {
  parseServerConfig,
  type ReferenceServerConfig,
  type ReferenceServerConfigInput,
  randomAdminToken,
  resolveSigningKeyPem,
} from './config.js';
import { type Database, openDatabase } from './database/database.js';
import { runExportBatch } from './export/publish.js';
import { ServedExports } from './export/served-exports.js';
import { deleteExpired } from './export/store.js';
import { loadExposureConfigurationSet } from './exposure-configuration/index.js';
import type { PublishOutcome, VerificationPublicKey } from './types.js';

/** How long a stopping server waits for requests in flight before it closes every connection. */
const CLOSE_GRACE_MS = 2_000;

export { OffsetClock, type ServerClock } from './clock.js';
export {
  CONFIG_SETS,
  type ConfigSet,
  DEFAULT_HERSYS_STATUS_TABLE,
  LATEST_BEHAVIOUR,
  loadServerConfigFromEnv,
  parseServerConfig,
  type ReferenceServerConfig,
  type ReferenceServerConfigInput,
  SERVER_BEHAVIOURS,
  SERVER_ENV_VARS,
  type ServerBehaviour,
  ServerConfigError,
} from './config.js';
export type { PublishOutcome, VerificationPublicKey } from './types.js';

export interface StartedReferenceServer {
  /** Public base, e.g. http://127.0.0.1:7001 (publicUrl when configured). */
  readonly url: string;
  /** The address actually bound, e.g. http://127.0.0.1:7001 (differs from url behind publicUrl). */
  readonly localUrl: string;
  /** `${url}/api` */
  readonly apiUrlBase: string;
  /** `${url}/` — `c19r/440/list.json` is below it. */
  readonly cdnUrlBase: string;
  readonly adminToken: string;
  /** Value of `x-functions-key` ("" when not required). */
  readonly apiSecret: string;
  readonly verificationKeys: readonly VerificationPublicKey[];
  readonly config: ReferenceServerConfig;
  /** The clock every "now" of the server is read from (server/clock.ts). */
  readonly clock: ServerClock;
  /** Runs the export batch now (same as `POST /api/admin/publish`); of a cell's keys when named (server/cells.ts). */
  publish(cell?: string): Promise<PublishOutcome>;
  /** Structured log lines (JSON), the latest 10,000. */
  logs(): string[];
  /** Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export type ReferenceServerOptions = ReferenceServerConfigInput & {
  /** An open, migrated database to use instead of the configured one; the server closes it on stop. */
  readonly database?: Database;
  /** The clock to read every "now" from (shared with the run that started the server); else `now`'s. */
  readonly clock?: ServerClock;
};

/** How many of the latest log lines `logs()` returns. */
const KEPT_LOG_LINES = 10_000;

/** Starts the server: database (migrated), signer, HTTP listener, optional batch schedule. */
export async function startReferenceServer(
  options: ReferenceServerOptions = {},
  /** Receives each log line as it is written (process mode streams them to stdout). */
  onLog?: (line: string) => void,
): Promise<StartedReferenceServer> {
  const { database, clock: givenClock, ...input } = options;
  const config = parseServerConfig(input);
  const clock =
    givenClock ?? new OffsetClock(config.now === undefined ? undefined : parseIsoTime(config.now));
  const adminToken = config.adminToken ?? randomAdminToken();
  const pem = resolveSigningKeyPem(config);
  const signer = loadSigner(pem, config.signing.keyId, config.signing.version);
  const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  const verificationKeys: VerificationPublicKey[] = [
    {
      keyId: config.signing.keyId,
      version: config.signing.version,
      publicKeyBase64: spki.toString('base64'),
    },
  ];
  const exposureConfiguration = loadExposureConfigurationSet(config.configSet);
  const lines: string[] = [];
  const logLine = (line: string) => {
    // The latest lines only: a server running for days must not keep every line in memory.
    if (lines.length >= 2 * KEPT_LOG_LINES) lines.splice(0, lines.length - KEPT_LOG_LINES);
    lines.push(line);
    onLog?.(line);
    if (config.logToStdout) process.stdout.write(`${line}\n`);
  };
  const db = database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));

  // What list.json and the files serve, per stored region (the server's own and each cell's).
  const served = new Map<string, ServedExports>();
  const servedFor = (region: string) => {
    let s = served.get(region);
    if (!s) {
      s = new ServedExports(db, region);
      served.set(region, s);
    }
    return s;
  };
  let base = '';
  let queue: Promise<unknown> = Promise.resolve();
  // One batch at a time in this process; the database lock serialises processes.
  const publish = (region = config.region): Promise<PublishOutcome> => {
    const run = queue.then(async (): Promise<PublishOutcome> => {
      logLine(JSON.stringify({ level: 30, time: Date.now(), msg: 'export batch started' }));
      const settings = {
        region,
        exportRegion: config.region,
        maxKeysPerFile: config.export.maxKeysPerFile,
        retentionDays: config.export.retentionDays,
        embargoMs: config.export.embargoMs,
        signers: [signer],
      };
      let deleted: Awaited<ReturnType<typeof deleteExpired>>;
      let files: Awaited<ReturnType<typeof runExportBatch>>;
      try {
        const nowMs = clock.now();
        deleted = await deleteExpired(db, settings, nowMs);
        files = await runExportBatch(db, settings, nowMs);
      } finally {
        // Expired exports of every region may have gone: every listing is read anew.
        for (const s of served.values()) s.invalidate();
      }
      const keyCount = files.reduce((n, f) => n + f.keyCount, 0);
      logLine(
        JSON.stringify({
          level: 30,
          time: Date.now(),
          msg: 'export batch',
          files: files.length,
          keys: keyCount,
          deleted,
        }),
      );
      return {
        ok: true,
        files: files.map((f) => ({
          batchNum: f.batchNum,
          keyCount: f.keyCount,
          url: `${base}/${region === config.region ? '' : `cells/${region.slice(config.region.length + 1)}/`}${config.blobContainer}/${config.region}/${f.batchNum}.zip`,
        })),
        detail: `${files.length} file(s), ${keyCount} key(s); deleted ${deleted.keys} expired key(s), ${deleted.exports} export(s)`,
      };
    });
    queue = run.catch(() => {});
    return run;
  };

  const app = buildApp({
    config,
    adminToken,
    db,
    exposureConfiguration,
    verificationKeys,
    cdnUrlBase: (requestHost) =>
      !config.publicUrl && requestHost && /^[A-Za-z0-9.\-[\]:]+$/.test(requestHost)
        ? `http://${requestHost}/`
        : `${base}/`,
    publish,
    exportsFor: servedFor,
    logLine,
    clock,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close().catch(() => {});
    await db.close().catch(() => {});
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const localUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  base = (config.publicUrl ?? localUrl).replace(/\/$/, '');
  if (config.export.intervalMs > 0) {
    timer = setInterval(() => {
      publish().catch((error: Error) =>
        logLine(
          JSON.stringify({ level: 50, time: Date.now(), msg: 'export batch failed', error: error.message }),
        ),
      );
    }, config.export.intervalMs);
    timer.unref();
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (timer) clearInterval(timer);
      // Fastify ends idle connections at once and waits for busy ones; one that was busy then stays
      // for the keep-alive timeout (72 s) once answered. Seen on interrupted runs: a stop of 70 s.
      const closing = app.close();
      const force = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      await closing.finally(() => clearTimeout(force));
      await queue;
      await db.close();
    })();
    return stopping;
  };
  return {
    url: base,
    localUrl,
    apiUrlBase: `${base}/api`,
    cdnUrlBase: `${base}/`,
    adminToken,
    apiSecret: config.apiSecret ?? '',
    verificationKeys,
    config,
    clock,
    publish: (cell?: string) => publish(storedRegion(config.region, cell)),
    logs: () => lines.slice(-KEPT_LOG_LINES),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
