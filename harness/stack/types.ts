/**
 * The system under test as the harness sees it: endpoints reached over real HTTP, and a handle that
 * stops everything it started. Every target (embedded, process, container, url) returns this shape,
 * so the runner and the assertions never know which one is behind it.
 */
export interface VerificationPublicKey {
  /** TEK export `verification_key_id`, e.g. "440". */
  readonly keyId: string;
  /** TEK export `verification_key_version`, e.g. "v1". */
  readonly version: string;
  /** SubjectPublicKeyInfo DER, base64 (P-256). */
  readonly publicKeyBase64: string;
}

/** Where a phone finds the notification server, as COCOA's settings name it (cocoa.md §1). */
export interface ServerEndpoints {
  /** e.g. http://127.0.0.1:7001/api — diagnosis, register, … are below it. */
  readonly apiUrlBase: string;
  /** e.g. http://127.0.0.1:7001/ — `c19r/440/list.json` and configuration files are below it. */
  readonly cdnUrlBase: string;
  /** Blob container, "c19r". */
  readonly blobContainer: string;
  /** Region, "440". */
  readonly region: string;
  /** Value of the `x-functions-key` header. */
  readonly apiSecret: string;
  /** Keys the phones' frameworks accept export signatures from (configured in the OS, not downloaded). */
  readonly verificationKeys: readonly VerificationPublicKey[];
}

export interface HerSysEndpoints {
  /** Base URL of the stub, e.g. http://127.0.0.1:7002 */
  readonly url: string;
  /** Token for the control interface. */
  readonly controlToken: string;
  /** Control port that stays up under the stub's 'down' fault (stubs/hersys/README.md). */
  readonly controlUrl?: string;
}

/** Result of asking the server to publish what it has accepted ("the export batch runs now"). */
export interface PublishOutcome {
  readonly ok: boolean;
  /** Export files the batch wrote (may be empty when nothing was pending). */
  readonly files: readonly { readonly url: string; readonly keyCount: number; readonly batchNum: number }[];
  readonly detail: string;
}

export interface IsolatedCell {
  readonly server: ServerEndpoints;
  publish(): Promise<PublishOutcome>;
}

export interface LogLine {
  readonly source: 'server' | 'hersys' | 'database' | 'harness';
  readonly at: string;
  readonly line: string;
}

export interface StartedStack {
  readonly target: 'embedded' | 'process' | 'container' | 'url';
  /** The run's clock, which the server, the HER-SYS stub and the phones all read (stack/clock.ts). */
  readonly clock: import('./clock.js').StackClock;
  readonly server: ServerEndpoints;
  readonly hersys: HerSysEndpoints;
  /** Runs the server's export batch now (admin call, command, or polling, per target). */
  publish(): Promise<PublishOutcome>;
  /**
   * An isolated cell of the server (the reference server's `/cells/<name>/`, server/cells.ts): its
   * endpoints and export batch see that cell's keys and exports alone. Absent for a deployed server
   * (url): one server is shared by every cell.
   */
  readonly cell?: (name: string) => IsolatedCell;
  /** Everything the components logged so far (for the report). */
  logs(): readonly LogLine[];
  /** Stops everything started, in reverse order. Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
