import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseIsoTime } from './clock.js';

/**
 * The reference server's configuration, validated once here (style.md principle 11). Defaults live in
 * this file only; `loadServerConfigFromEnv` is the only reader of environment variables.
 */

/**
 * Server behaviour over time, named by the date of the public record (cocoa.md §1.2, §5):
 * - "2020-09": v1 API only; TRL copied from the upload's `transmissionRisk` (COCOA 1.1.3/1.1.4 era).
 * - "2021-02-17": cf58f223 — TRL fixed to 4 for v1, `/v2/diagnosis` added.
 * - "v3": the v3 API (COCOA 2.x server, d5485de7): TRL 4 if DSOS ≥ −3 else 1, infectious-window filter.
 *   The date the v3 API went live is not in the public record we hold: name **UNVERIFIED**.
 */
export const SERVER_BEHAVIOURS = ['2020-09', '2021-02-17', 'v3'] as const;
export type ServerBehaviour = (typeof SERVER_BEHAVIOURS)[number];
export const LATEST_BEHAVIOUR: ServerBehaviour = 'v3';

/** Exposure-configuration sets in `fixtures/exposure-configuration/<set>/` (cocoa.md §1.6). */
export const CONFIG_SETS = ['cocoa-1.1.3', 'cocoa-1.1.4', 'cocoa-2.x'] as const;
export type ConfigSet = (typeof CONFIG_SETS)[number];

export const TEST_SIGNING_KEY_PATH = fileURLToPath(
  new URL('../fixtures/signing/test-export-signing-key.pem', import.meta.url),
);

/**
 * HER-SYS `result` → HTTP status (cocoa.md §2: the real table lives in Cosmos `CustomVerificationStatus`
 * and is unpublished; these codes are the dummy HER-SYS's, UNVERIFIED). Unknown codes → 503.
 */
export const DEFAULT_HERSYS_STATUS_TABLE: Readonly<Record<string, number>> = {
  OK: 200,
  NOT_FOUND: 406,
  ALREADY_USED: 406,
  EXPIRED: 406,
  REVOKED: 406,
  MALFORMED: 406,
};

const range = z.tuple([z.number().int(), z.number().int()]);

export const ReferenceServerConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  /** 0 = ephemeral. */
  port: z.number().int().min(0).max(65_535).default(0),
  behaviour: z.enum(SERVER_BEHAVIOURS).default(LATEST_BEHAVIOUR),
  configSet: z.enum(CONFIG_SETS).default('cocoa-2.x'),
  region: z
    .string()
    .regex(/^[0-9A-Za-z]+$/)
    .default('440'),
  /** Blob container and CDN path prefix (COCOA `blobStorageContainerName`). */
  blobContainer: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('c19r'),
  /** Value required in `x-functions-key` on `/api/*`; unset = not checked. */
  apiSecret: z.string().min(1).optional(),
  /** Bearer token of `/api/admin/*`; random when unset. */
  adminToken: z.string().min(8).optional(),
  /** Public base URL (e.g. behind a container port mapping); default = the listening address. */
  publicUrl: z.string().url().optional(),
  /** Real PostgreSQL (`postgres://…`); unset = PGlite. */
  databaseUrl: z.string().min(1).optional(),
  /** PGlite data directory; unset = in memory. Ignored when databaseUrl is set. */
  dataDir: z.string().min(1).optional(),
  hersys: z
    .object({
      /** Verification endpoint (POST). Unset = every verification answers 503. */
      url: z.string().url().optional(),
      parameterName: z.string().min(1).default('processingNumber'),
      /** Sent as `Ocp-Apim-Subscription-Key` when set (cocoa.md §2). */
      subscriptionKey: z.string().min(1).optional(),
      /** COCOA had none (.NET default 100 s); we bound it. */
      timeoutMs: z.number().int().min(1).max(120_000).default(5_000),
      statusTable: z.record(z.string(), z.number().int().min(100).max(599)).default({
        ...DEFAULT_HERSYS_STATUS_TABLE,
      }),
    })
    .prefault({}),
  signing: z
    .object({
      /** PKCS#8 or SEC1 PEM of the P-256 export signing key; default = the test key. */
      privateKeyPem: z.string().min(1).optional(),
      keyId: z.string().min(1).default('440'),
      version: z
        .string()
        .regex(/^[a-zA-Z0-9_]+$/)
        .default('v1'),
    })
    .prefault({}),
  export: z
    .object({
      /** cocoa.md §3: 250,000 keys per file. */
      maxKeysPerFile: z.number().int().min(1).default(250_000),
      /** Batch schedule in ms; 0 = only on demand (`POST /api/admin/publish`). */
      intervalMs: z.number().int().min(0).default(0),
      /** Keys and exports older than this are deleted (cocoa.md §3 delete batch). */
      retentionDays: z.number().int().min(1).default(14),
      /**
       * A key is exported only once its rolling period has ended, plus this margin (ms). Live keys
       * are still broadcast; exporting them would let anyone replay them (server/README.md).
       */
      embargoMs: z
        .number()
        .int()
        .min(0)
        .max(7 * 86_400_000)
        .default(0),
    })
    .prefault({}),
  limits: z
    .object({
      /** ENS MAX_KEYS_ON_PUBLISH = 30 (gaen.md §2); COCOA itself had no cap. */
      maxKeysPerUpload: z.number().int().min(1).default(30),
      /** Request body limit in bytes (padding is ≤ ~2.7 KB, cocoa.md §1.2). */
      bodyLimitBytes: z
        .number()
        .int()
        .min(1024)
        .default(256 * 1024),
    })
    .prefault({}),
  /** v3 infectious window by DSOS (cocoa.md §1.2 `InfectiousFilter*`). */
  infectiousWindow: z.object({ symptom: range.default([-3, 10]), test: range.default([-3, 7]) }).prefault({}),
  /**
   * Device attestation (cocoa.md §1.4), off by default. When on, `deviceVerificationPayload` must be
   * base64(SHA-256(ClearText)) — the SafetyNet nonce rule without the JWS envelope (simplified, ours).
   */
  deviceVerification: z.object({ enabled: z.boolean().default(false) }).prefault({}),
  /**
   * v1 only: require `Authorization: Bearer <secret>` of the body's `userUuid` from `/api/register`
   * (COCOA ≤ 1.2.1, cocoa.md §1.3: mismatch → 400). Off by default so v1 phones need not register.
   */
  requireRegisteredUser: z.boolean().default(false),
  /** Structured logs to stdout as well as to `logs()`. */
  logToStdout: z.boolean().default(false),
  /**
   * Where the server's clock starts (ISO 8601 with a zone); it runs on from there. Unset: the
   * machine's clock. ichiren sets it to the run's clock (server/clock.ts).
   */
  now: z
    .string()
    .refine(
      (t) => parseIsoTime(t) !== undefined,
      'must be an ISO 8601 time with a zone, e.g. 2026-12-01T03:00Z',
    )
    .optional(),
});

export type ReferenceServerConfig = z.output<typeof ReferenceServerConfigSchema>;
export type ReferenceServerConfigInput = z.input<typeof ReferenceServerConfigSchema>;

export class ServerConfigError extends Error {
  readonly code = 'SERVER_CONFIG_INVALID';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Validates a (partial) configuration; errors name the field path. */
export function parseServerConfig(input: unknown): ReferenceServerConfig {
  const result = ReferenceServerConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join('.') || '(root)';
    throw new ServerConfigError(`server config: ${field}: ${issue.message}`, field);
  }
  return result.data;
}

export function resolveSigningKeyPem(config: ReferenceServerConfig): string {
  return config.signing.privateKeyPem ?? readFileSync(TEST_SIGNING_KEY_PATH, 'utf8');
}

export function randomAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Documented environment variables (server/README.md). */
export const SERVER_ENV_VARS = {
  ICHIREN_SERVER_HOST: 'host',
  ICHIREN_SERVER_PORT: 'port',
  ICHIREN_SERVER_BEHAVIOUR: 'behaviour',
  ICHIREN_SERVER_CONFIG_SET: 'configSet',
  ICHIREN_SERVER_REGION: 'region',
  ICHIREN_SERVER_API_SECRET: 'apiSecret',
  ICHIREN_SERVER_ADMIN_TOKEN: 'adminToken',
  ICHIREN_SERVER_PUBLIC_URL: 'publicUrl',
  DATABASE_URL: 'databaseUrl',
  ICHIREN_SERVER_DATA_DIR: 'dataDir',
  HERSYS_URL: 'hersys.url',
  HERSYS_PARAMETER_NAME: 'hersys.parameterName',
  HERSYS_SUBSCRIPTION_KEY: 'hersys.subscriptionKey',
  HERSYS_TIMEOUT_MS: 'hersys.timeoutMs',
  HERSYS_STATUS_TABLE: 'hersys.statusTable',
  ICHIREN_SIGNING_KEY_PEM: 'signing.privateKeyPem',
  ICHIREN_SIGNING_KEY_FILE: 'signing.privateKeyPem',
  ICHIREN_SIGNING_KEY_ID: 'signing.keyId',
  ICHIREN_SIGNING_KEY_VERSION: 'signing.version',
  ICHIREN_EXPORT_MAX_KEYS_PER_FILE: 'export.maxKeysPerFile',
  ICHIREN_EXPORT_INTERVAL_MS: 'export.intervalMs',
  ICHIREN_EXPORT_EMBARGO_MS: 'export.embargoMs',
  ICHIREN_MAX_KEYS_PER_UPLOAD: 'limits.maxKeysPerUpload',
  ICHIREN_DEVICE_VERIFICATION: 'deviceVerification.enabled',
  ICHIREN_REQUIRE_REGISTERED_USER: 'requireRegisteredUser',
  ICHIREN_SERVER_NOW: 'now',
} as const;

const NUMERIC = new Set([
  'port',
  'hersys.timeoutMs',
  'export.maxKeysPerFile',
  'export.intervalMs',
  'export.embargoMs',
  'limits.maxKeysPerUpload',
]);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/** Process mode: builds the configuration from environment variables (names in SERVER_ENV_VARS). */
export function loadServerConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Record<string, unknown> = {},
): ReferenceServerConfig {
  const raw: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(SERVER_ENV_VARS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let parsed: unknown = value;
    if (NUMERIC.has(path)) {
      parsed = Number(value);
      if (!Number.isInteger(parsed))
        throw new ServerConfigError(`${name} must be an integer, got "${value}"`, path);
    } else if (path === 'deviceVerification.enabled' || path === 'requireRegisteredUser') {
      parsed = value === 'true' || value === '1';
    } else if (path === 'hersys.statusTable') {
      try {
        parsed = JSON.parse(value);
      } catch {
        throw new ServerConfigError(`${name} must be a JSON object like {"OK":200}`, path);
      }
    } else if (name === 'ICHIREN_SIGNING_KEY_FILE') {
      try {
        parsed = readFileSync(value, 'utf8');
      } catch {
        throw new ServerConfigError(`${name}: cannot read "${value}"`, path);
      }
    }
    setPath(raw, path, parsed);
  }
  for (const [path, value] of Object.entries(overrides)) {
    if (value !== undefined) setPath(raw, path, value);
  }
  try {
    return parseServerConfig(raw);
  } catch (error) {
    if (error instanceof ServerConfigError) {
      const envName = Object.entries(SERVER_ENV_VARS).find(([, p]) => p === error.field)?.[0];
      throw new ServerConfigError(
        envName ? `${error.message} (from ${envName})` : error.message,
        error.field,
      );
    }
    throw error;
  }
}
