import { StackError } from './errors.js';

/** How a `url` target's export batch is triggered (the server is not ours to call directly). */
export type PublishStep =
  /** An HTTP call, e.g. an admin endpoint or a timer-trigger URL. */
  | {
      readonly http: {
        readonly url: string;
        readonly method?: string;
        readonly headers?: Record<string, string>;
      };
    }
  /** A shell command (run with `sh -c`); exit code 0 = ran. */
  | { readonly command: string }
  /** Nothing to trigger: the server batches on its own; poll list.json until new entries appear. */
  | { readonly poll: { readonly deadlineMs: number; readonly everyMs?: number } }
  /** Shorthand the runner's wiring passes: `{url}` = POST url, `{command}` as above. */
  | { readonly url?: string; readonly command?: string };

export interface StackOptions {
  readonly target: 'embedded' | 'process' | 'container' | 'url';
  /** Reference server only (embedded/process/container): "2020-09" | "2021-02-17" | "v3". */
  readonly serverBehaviour?: string;
  /** Reference server only: "cocoa-1.1.3" | "cocoa-1.1.4" | "cocoa-2.x". */
  readonly configurationSet?: string;
  /**
   * The run's clock at start, Unix ms (default: the machine's). The server, the HER-SYS stub and the
   * phones all read it (stack/clock.ts). Not for the url target: a deployed server keeps its own.
   */
  readonly nowMs?: number;
  /** HER-SYS stub seed (the stub always runs locally). `hersys.seed` is the runner's spelling. */
  readonly seed?: number;
  readonly hersys?: {
    readonly seed: number;
    /**
     * Where the stub's verification port listens (default 127.0.0.1, ephemeral). A deployed server
     * (url target) must be configured with its URL in advance, so it needs a fixed port.
     */
    readonly host?: string;
    readonly port?: number;
  };
  /**
   * embedded: where the reference server's database comes from (default: a new in-memory one).
   * The audit hands out one reusable database, emptied between stacks (server/database/reusable.ts).
   */
  readonly serverDatabase?: () => Promise<import('../../server/database/database.js').Database>;
  /** Value of `x-functions-key` the server requires (reference server: configured; url: given). */
  readonly apiSecret?: string;
  /** process: command line, default `node bin/ichiren.js server --port 0` (run in the repo root). */
  readonly serverCommand?: string;
  /** process/container: extra environment for the server. */
  readonly env?: Readonly<Record<string, string>>;
  /** process: "http" polls `/ready` after the listening line (default); "log" trusts the line. */
  readonly readiness?: 'http' | 'log';
  /** Budget of each readiness wait (default 30 s; 90 s for containers). */
  readonly readyTimeoutMs?: number;
  /** container: image of the server (default `ichiren-server:local`, built by scripts/build-image.mjs). */
  readonly serverImage?: string;
  /** container: PostgreSQL image (default `ichiren-postgres:local`). */
  readonly databaseImage?: string;
  /** url: base URL of the server under test. */
  readonly serverUrl?: string;
  /** url: export verification public key, PEM or base64 SPKI; default: `<cdn>/c19r/verification-keys.json`. */
  readonly verificationKey?: string;
  readonly verificationKeyId?: string;
  readonly verificationKeyVersion?: string;
  /** url: "c19r" and "440" unless told. */
  readonly blobContainer?: string;
  readonly region?: string;
  /** url: how the export batch is triggered. Default: `{poll: {deadlineMs: publishTimeoutMs}}`. */
  readonly publish?: PublishStep;
  /** url: how long one publish may take — the HTTP call, the command, or polling (default 60 s). */
  readonly publishTimeoutMs?: number;
}

export const DEFAULT_SERVER_COMMAND = 'node bin/ichiren.js server --port 0';
export const DEFAULT_SERVER_IMAGE = 'ichiren-server:local';
export const DEFAULT_DATABASE_IMAGE = 'ichiren-postgres:local';
export const DEFAULT_BLOB_CONTAINER = 'c19r';
export const DEFAULT_REGION = '440';
/** docs/vendors.md's promise: a url target's publish (trigger or list.json polling) may take 60 s. */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 60_000;

const TARGETS = ['embedded', 'process', 'container', 'url'] as const;

/** Validates the options once, naming the field (style.md principle 11). */
export function checkStackOptions(options: StackOptions): void {
  const bad = (field: string, message: string) =>
    new StackError('STACK_OPTIONS_INVALID', `stack options: ${field}: ${message}`, field);
  if (!TARGETS.includes(options.target)) throw bad('target', `must be one of ${TARGETS.join(', ')}`);
  if (options.target === 'url') {
    if (!options.serverUrl) throw bad('serverUrl', 'required for the url target');
    try {
      new URL(options.serverUrl);
    } catch {
      throw bad('serverUrl', `not a URL: "${options.serverUrl}"`);
    }
    if (options.nowMs !== undefined)
      throw bad(
        'nowMs',
        "a deployed server keeps its own clock: the run reads it from the server's Date header",
      );
    for (const field of ['serverBehaviour', 'configurationSet'] as const) {
      if (options[field] !== undefined)
        throw bad(field, 'applies to the reference server only, not the url target');
    }
  }
  if (options.target === 'process' && options.serverCommand !== undefined && !options.serverCommand.trim()) {
    throw bad('serverCommand', 'must not be empty');
  }
}

export function stubSeed(options: StackOptions): number | undefined {
  return options.seed ?? options.hersys?.seed;
}
