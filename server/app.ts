import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { cellOf, rewriteCellUrl, storedRegion } from './cells.js';
import { OffsetClock, parseIsoTime, type ServerClock } from './clock.js';
import type { ReferenceServerConfig } from './config.js';
import type { Database } from './database/database.js';
import { registerUser, userSecretSha256 } from './database/key-store.js';
import { findUpload, numberSha256, submissionSha256, UploadWriter } from './database/upload-store.js';
import { checkDevice } from './diagnosis/device-check.js';
import { checkKeys, type DiagnosisApiVersion } from './diagnosis/keys.js';
import { COCOA_MESSAGES, DiagnosisRejection } from './diagnosis/rejection.js';
import { type DiagnosisBody, V1_BODY_SCHEMA, V2_BODY_SCHEMA, V3_BODY_SCHEMA } from './diagnosis/schema.js';
import { databaseExportReads, type ExportReads } from './export/served-exports.js';
import {
  EXPOSURE_CONFIGURATION_PATHS,
  type ExposureConfigurationPath,
} from './exposure-configuration/index.js';
import type { PublishOutcome, VerificationPublicKey } from './types.js';
import { verificationRejection, verifyProcessingNumber } from './verification/hersys-client.js';

export interface AppDeps {
  readonly config: ReferenceServerConfig;
  readonly adminToken: string;
  readonly db: Database;
  readonly exposureConfiguration: ReadonlyMap<ExposureConfigurationPath, string>;
  readonly verificationKeys: readonly VerificationPublicKey[];
  /**
   * Base of CDN URLs written into list.json, e.g. "http://127.0.0.1:7001/". Given the request's Host
   * header so that, without a configured publicUrl, the URLs are reachable by whoever asked (a
   * container behind a mapped port).
   */
  readonly cdnUrlBase: (requestHost: string | undefined) => string;
  /** Runs the export batch of a stored region (a cell's, server/cells.ts), default the server's own. */
  readonly publish: (storedRegion?: string) => Promise<PublishOutcome>;
  /** Where list.json and the files of a stored region are read (default: the database on every request). */
  readonly exportsFor?: (storedRegion: string) => ExportReads;
  /** Receives every structured log line (pino JSON). */
  readonly logLine: (line: string) => void;
  /** Every "now" of the server (server/clock.ts); default: the machine's clock. */
  readonly clock?: ServerClock;
}

/** Which diagnosis APIs existed under each behaviour (cocoa.md §1.1: v2 from cf58f223, v3 from 2.0). */
const ROUTES_BY_BEHAVIOUR: Record<ReferenceServerConfig['behaviour'], readonly DiagnosisApiVersion[]> = {
  '2020-09': ['v1'],
  '2021-02-17': ['v1', 'v2'],
  v3: ['v1', 'v2', 'v3'],
};

function sendRejection(reply: FastifyReply, r: DiagnosisRejection): FastifyReply {
  return reply.code(r.status).send(r.toBody());
}

/**
 * One log line per request, written when it completes (method, URL, status, time), rather than
 * Fastify's two: a log line costs the server about as much as validating the upload.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = {
      req: { method: request.method, url: request.url },
      res: reply,
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}

/** Builds the Fastify app: COCOA's API under /api, its CDN under /{container}, health under /. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const { config, db } = deps;
  const clock = deps.clock ?? new OffsetClock();
  const now = () => clock.now();
  const app = Fastify({
    // `/cells/<name>/…`: the same routes for an isolated cell of the server (server/cells.ts).
    rewriteUrl: rewriteCellUrl,
    bodyLimit: config.limits.bodyLimitBytes,
    // Request logs carry method, URL and status only: never bodies (processing numbers, keys).
    logger: { level: 'info', stream: { write: (line: string) => deps.logLine(line.trimEnd()) } },
    logController: new OneLinePerRequest(),
    // Types must arrive as sent: no coercion of "123" into 123, no silent removal.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const v = error.validation[0];
      const missing = (v?.params as { missingProperty?: string } | undefined)?.missingProperty;
      const path = `${v?.instancePath ?? ''}${missing ? `/${missing}` : ''}`;
      const field =
        path
          .replace(/^\//, '')
          .replace(/\/(\d+)/g, '[$1]')
          .replace(/\//g, '.') || '(body)';
      return reply.code(400).send({
        error: COCOA_MESSAGES.invalidParameter,
        code: 'INVALID_PARAMETER',
        field,
        detail: v?.message,
      });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: 'Payload too large', code: 'PAYLOAD_TOO_LARGE', field: '(body)' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Unparsable JSON, wrong content type, …: the app's parameters are unusable.
      return reply.code(status === 415 ? 415 : 400).send({
        error: COCOA_MESSAGES.invalidParameter,
        code: status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'INVALID_PARAMETER',
        field: '(body)',
        detail: error.message,
      });
    }
    request.log.error({ err: { message: error.message, code: error.code } }, 'request failed');
    // A database failure is "try again later" (Cosmos 429 → 503 in COCOA).
    return reply.code(503).send({ error: 'Service unavailable', code: 'UNAVAILABLE', field: '(server)' });
  });

  // x-functions-key: every COCOA Function used AuthorizationLevel.Function (cocoa.md §1).
  app.addHook('onRequest', async (request, reply) => {
    if (!config.apiSecret || !request.url.startsWith('/api/') || request.url.startsWith('/api/admin/'))
      return;
    if (request.headers['x-functions-key'] !== config.apiSecret) {
      return reply
        .code(401)
        .send({ error: 'Unauthorized', code: 'FUNCTIONS_KEY_REQUIRED', field: 'x-functions-key' });
    }
  });

  app.post('/api/register', async (_request, reply) => {
    // userUuid = GUID("N") + ticks (cocoa.md §1.1); the secret is the v1 Bearer token.
    const userUuid = `${randomUUID().replaceAll('-', '')}${BigInt(now()) * 10_000n + 621_355_968_000_000_000n}`;
    const secret = randomBytes(32).toString('base64');
    await registerUser(db, userUuid, createHash('sha256').update(secret).digest('hex'), now());
    return reply
      .code(200)
      .send({ userUuid, secret, jumpConsistentSeed: randomBytes(4).readUInt32BE() >>> 1 });
  });

  /** v1 user check: the Bearer secret must be the one issued with this userUuid (cocoa.md §1.3). */
  const checkUser = async (userUuid: string, authorization: string | undefined) => {
    const expected = await userSecretSha256(db, userUuid);
    const secret = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    const got = secret === undefined ? undefined : createHash('sha256').update(secret).digest('hex');
    if (expected === undefined || got !== expected) {
      throw new DiagnosisRejection(400, COCOA_MESSAGES.invalidParameter, 'USER_NOT_AUTHORIZED', 'userUuid');
    }
  };

  const writer = new UploadWriter(db);
  /** Another upload stored keys with this number: as HER-SYS would answer for a used number. */
  const numberUsedHere = () =>
    verificationRejection({
      status: config.hersys.statusTable.ALREADY_USED ?? 406,
      result: 'ALREADY_USED (keys of another upload are stored with this number)',
    });

  const schemas = { v1: V1_BODY_SCHEMA, v2: V2_BODY_SCHEMA, v3: V3_BODY_SCHEMA } as const;
  const paths = { v1: '/api/diagnosis', v2: '/api/v2/diagnosis', v3: '/api/v3/diagnosis' } as const;
  for (const version of ['v1', 'v2', 'v3'] as const) {
    if (!ROUTES_BY_BEHAVIOUR[config.behaviour].includes(version)) {
      app.put(paths[version], async (_request, reply) =>
        reply.code(404).send({
          error: 'Not Found',
          code: 'ROUTE_NOT_IN_BEHAVIOUR',
          field: '(url)',
          detail: `${paths[version]} did not exist under server behaviour "${config.behaviour}"`,
        }),
      );
      continue;
    }
    app.put<{ Body: DiagnosisBody }>(
      paths[version],
      { schema: { body: schemas[version] } },
      async (request, reply) => {
        const body = request.body;
        try {
          const accepted = checkKeys(version, body, {
            behaviour: config.behaviour,
            region: config.region,
            storedRegion: storedRegion(config.region, cellOf(request.raw)),
            nowMs: now(),
            maxKeysPerUpload: config.limits.maxKeysPerUpload,
            retentionDays: config.export.retentionDays,
            infectiousWindow: config.infectiousWindow,
          });
          if (version === 'v1' && config.requireRegisteredUser) {
            await checkUser(body.userUuid!, request.headers.authorization);
          }
          if (config.deviceVerification.enabled) checkDevice(version, body);
          // Chaff (v3): validated like a real upload, then neither verified nor stored (UNVERIFIED
          // whether COCOA asked HER-SYS first; asking would consume a number, so we do not).
          if (version === 'v3' && request.headers['x-chaff'] !== undefined) {
            request.log.info({ diagnosis: version, chaff: true }, 'chaff accepted');
            return reply.code(200).send(body);
          }
          const success = () => (version === 'v3' ? reply.code(200).send(body) : reply.code(204).send());
          // Nothing to store (keys: [] or every key dropped): HER-SYS is still asked, as COCOA's server
          // asks it (server/README.md "Uploads"): a number never issued is refused, an accepted one is
          // recorded for its submission with no keys.
          if (accepted.keys.length === 0)
            request.log.info(
              { diagnosis: version, dropped: accepted.dropped },
              'upload with no keys to store',
            );
          const upload = {
            numberSha256: numberSha256(body.verificationPayload),
            uploadSha256: submissionSha256(version, body.verificationPayload, body),
            route: version,
            keys: accepted.keys,
            receivedMs: now(),
          };
          const answered = writer.verifying();
          let outcome: Awaited<ReturnType<typeof verifyProcessingNumber>>;
          try {
            outcome = await verifyProcessingNumber(
              config.hersys,
              body.verificationPayload,
              upload.uploadSha256,
            );
          } finally {
            answered();
          }
          if (outcome.status !== 200) {
            // A retry of a stored submission gets its original success, whatever HER-SYS says now (a
            // one-time HER-SYS answers ALREADY_USED; it may also be down), and its keys join those
            // stored. Checked only here, so the usual upload costs no extra query.
            if ((await findUpload(db, upload.numberSha256)) === upload.uploadSha256) {
              const stored = await writer.store(upload);
              request.log.info(
                { diagnosis: version, hersys: outcome.result, stored },
                'retry of a stored upload',
              );
              return success();
            }
            request.log.info(
              { diagnosis: version, hersys: outcome.result, status: outcome.status },
              'upload refused',
            );
            throw verificationRejection(outcome);
          }
          const stored = await writer.store(upload);
          if (stored === 'number-used') throw numberUsedHere();
          request.log.info(
            { diagnosis: version, keys: accepted.keys.length, stored, dropped: accepted.dropped },
            'upload accepted',
          );
          return success();
        } catch (error) {
          if (error instanceof DiagnosisRejection) return sendRejection(reply, error);
          throw error;
        }
      },
    );
  }

  // Every answer is dated by the server's clock, as a deployed server's Date header tells its own time.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('date', new Date(now()).toUTCString());
  });
  const adminOnly = (request: FastifyRequest, reply: FastifyReply) =>
    request.headers.authorization === `Bearer ${deps.adminToken}`
      ? undefined
      : reply.code(401).send({ error: 'Unauthorized', code: 'ADMIN_TOKEN_REQUIRED', field: 'authorization' });
  app.get('/api/admin/clock', async (request, reply) => {
    return adminOnly(request, reply) ?? reply.send({ now: new Date(now()).toISOString() });
  });
  // The run moves the server's clock with its scenario (server/README.md "Clock").
  app.put<{ Body: { now: string } }>(
    '/api/admin/clock',
    { schema: { body: { type: 'object', required: ['now'], properties: { now: { type: 'string' } } } } },
    async (request, reply) => {
      const denied = adminOnly(request, reply);
      if (denied) return denied;
      const ms = parseIsoTime(request.body.now);
      if (ms === undefined)
        return reply.code(400).send({
          error: COCOA_MESSAGES.invalidParameter,
          code: 'INVALID_PARAMETER',
          field: 'now',
          detail: 'must be an ISO 8601 time with a zone, e.g. 2026-12-01T03:00:00Z',
        });
      clock.set(ms);
      request.log.info({ clock: new Date(ms).toISOString() }, 'clock set');
      return reply.send({ now: new Date(now()).toISOString() });
    },
  );

  app.post('/api/admin/publish', async (request, reply) => {
    if (request.headers.authorization !== `Bearer ${deps.adminToken}`) {
      return reply
        .code(401)
        .send({ error: 'Unauthorized', code: 'ADMIN_TOKEN_REQUIRED', field: 'authorization' });
    }
    return reply.code(200).send(await deps.publish(storedRegion(config.region, cellOf(request.raw))));
  });

  const cdn = `/${config.blobContainer}`;
  const exportsFor = deps.exportsFor ?? ((region: string) => databaseExportReads(db, region));
  app.get(`${cdn}/${config.region}/list.json`, async (request, reply) => {
    const cell = cellOf(request.raw);
    const base = `${deps.cdnUrlBase(request.headers.host)}${cell === undefined ? '' : `cells/${cell}/`}`;
    const entries = await exportsFor(storedRegion(config.region, cell)).list();
    // created in Unix ms although COCOA's property says seconds (cocoa.md §1.5).
    return reply.send(
      entries.map((e) => ({
        region: config.region,
        url: `${base}${config.blobContainer}/${config.region}/${e.batchNum}.zip`,
        created: e.createdMs,
      })),
    );
  });
  app.get<{ Params: { file: string } }>(`${cdn}/${config.region}/:file`, async (request, reply) => {
    const m = /^([1-9][0-9]{0,9})\.zip$/.exec(request.params.file);
    const reads = exportsFor(storedRegion(config.region, cellOf(request.raw)));
    const zip = m ? await reads.zip(Number(m[1])) : undefined;
    if (!zip) return reply.code(404).send({ error: 'Not Found', code: 'EXPORT_NOT_FOUND', field: '(url)' });
    return reply.type('application/zip').send(Buffer.from(zip));
  });
  for (const path of EXPOSURE_CONFIGURATION_PATHS) {
    app.get(`${cdn}/${path}`, async (_request, reply) => {
      const text = deps.exposureConfiguration.get(path);
      if (text === undefined) {
        return reply.code(404).send({
          error: 'Not Found',
          code: 'CONFIGURATION_NOT_IN_SET',
          field: '(url)',
          detail: `configuration set "${config.configSet}" has no ${path}`,
        });
      }
      return reply.type('application/json').send(text);
    });
  }
  app.get(`${cdn}/verification-keys.json`, async () => deps.verificationKeys);

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) =>
    (await db.ping())
      ? reply.send({ status: 'ready' })
      : reply.code(503).send({ status: 'database unreachable' }),
  );
  return app;
}
