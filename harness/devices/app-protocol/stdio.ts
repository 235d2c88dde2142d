/**
 * The stdio transport: an external app as a child process speaking JSON-RPC 2.0 on its stdin/stdout
 * with the Language Server Protocol's Content-Length framing (vscode-jsonrpc). Every request has a
 * time-out; a crash, a malformed message, a wrong answer, an unknown method or silence fails the
 * pending requests with AppProtocolError naming the app and the message, and the process is
 * stopped. execa's cleanup kills the process when ichiren exits (Ctrl-C included).
 */
import { execa, parseCommandString } from 'execa';
import {
  createMessageConnection,
  ErrorCodes,
  type MessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import {
  type AppEndpoint,
  AppProtocolError,
  checkResult,
  type FrameworkHost,
  isAppNotification,
  isFrameworkMethod,
  serveFramework,
  serveNotification,
} from './endpoint.js';
import { APP_METHODS, type AppMethod, type ParamsOf, type ResultOf } from './messages.js';

export interface StdioOptions {
  /** The command line, split like a shell would split it (no shell features). */
  readonly command: string;
  /** Working directory of the process (default: ichiren's). */
  readonly cwd?: string;
  /** Time-out of every request, ms (default 10 s). */
  readonly timeoutMs?: number;
  /** Time-out of the handshake, which includes the process's start-up (a `dotnet run` builds first), ms. */
  readonly startupTimeoutMs?: number;
}

export const DEFAULT_APP_TIMEOUT_MS = 10_000;
export const DEFAULT_STARTUP_TIMEOUT_MS = 120_000;

interface Pending {
  readonly method: string;
  readonly phone?: string;
  readonly reject: (e: Error) => void;
}

export class StdioEndpoint implements AppEndpoint {
  readonly name: string;
  private readonly hosts = new Map<string, FrameworkHost>();
  private readonly pending = new Set<Pending>();
  private readonly process: ReturnType<typeof spawnApp>;
  private readonly connection: MessageConnection;
  private readonly timeoutMs: number;
  private readonly startupTimeoutMs: number;
  /** Why the endpoint is unusable (the first fault); every later request fails with it. */
  private fault: AppProtocolError | undefined;
  private stderrTail = '';
  private closed = false;

  constructor(options: StdioOptions) {
    this.name = options.command;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_APP_TIMEOUT_MS;
    this.startupTimeoutMs = Math.max(this.timeoutMs, options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS);
    const [file, ...args] = parseCommandString(options.command);
    if (!file) throw new AppProtocolError(options.command, 'start', 'empty command');
    this.process = spawnApp(file, args, options.cwd);
    this.process.stderr.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-2000);
    });
    this.process.then((r) => {
      if (this.closed) return;
      const last = this.stderrTail.trim().split('\n').at(-1) ?? '';
      const how =
        r.failed && r.exitCode === undefined
          ? `could not start (${String(r.shortMessage).split('\n')[0]})`
          : `exited with code ${r.exitCode ?? r.signal}`;
      this.failAll(new AppProtocolError(this.name, 'process', `${how}${last ? `: ${last}` : ''}`));
    });
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout),
      new StreamMessageWriter(this.process.stdin),
    );
    this.connection.onRequest((method: string, params: unknown) => {
      if (!isFrameworkMethod(method)) {
        const e = new AppProtocolError(this.name, method, 'called an unknown method');
        this.failPhone(phoneOf(params), e);
        throw e;
      }
      try {
        return serveFramework(this.name, this.hosts, method, params);
      } catch (e) {
        this.failPhone(phoneOf(params), e as Error);
        throw e;
      }
    });
    this.connection.onNotification((method: string, params: unknown) => {
      try {
        if (!isAppNotification(method))
          throw new AppProtocolError(this.name, method, 'sent an unknown notification');
        serveNotification(this.name, this.hosts, method, params);
      } catch (e) {
        this.failPhone(phoneOf(params), e as Error);
      }
    });
    this.connection.onError(([error, written]: [Error, unknown, unknown]) => {
      // A failed write (the process is gone or never started) carries the message being written: the
      // process's exit names the fault. A read error is the app's malformed output.
      if (written !== undefined) return;
      this.failAll(
        new AppProtocolError(this.name, 'stdout', `malformed message: ${error.message.split('\n')[0]}`),
      );
      void this.close();
    });
    this.process.stdin.on('error', () => undefined);
    this.connection.listen();
  }

  async request<M extends AppMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    if (this.fault) throw this.fault;
    const checked = APP_METHODS[method].params.parse(params);
    const phone = (checked as { phone?: string }).phone;
    let entry: Pending | undefined;
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      entry = { method, ...(phone ? { phone } : {}), reject };
      this.pending.add(entry);
      const ms = method === 'initialize' ? this.startupTimeoutMs : this.timeoutMs;
      timer = setTimeout(
        () => reject(new AppProtocolError(this.name, method, `no answer within ${ms} ms`)),
        ms,
      );
    });
    try {
      const raw = await Promise.race([this.connection.sendRequest(method, checked), failed]);
      return checkResult(this.name, method, raw);
    } catch (e) {
      if (e instanceof AppProtocolError) throw e;
      if (!(e instanceof ResponseError) || TRANSPORT_ERRORS.has(e.code)) {
        // The message could not be written: the process is gone or never started; its end names why.
        await Promise.race([this.process, failed]).catch(() => undefined);
        throw this.fault ?? new AppProtocolError(this.name, method, `cannot send: ${(e as Error).message}`);
      }
      // An error answer of the app: its own message, one line.
      throw new AppProtocolError(
        this.name,
        method,
        `answered with an error: ${(e as Error).message.split('\n')[0]}`,
      );
    } finally {
      clearTimeout(timer);
      if (entry) this.pending.delete(entry);
    }
  }

  attach(phone: string, host: FrameworkHost): void {
    this.hosts.set(phone, host);
  }

  detach(phone: string): void {
    this.hosts.delete(phone);
  }

  /** Whether the process can still serve (no fault, not closed). */
  get usable(): boolean {
    return !this.fault && !this.closed;
  }

  /** `shutdown`, then end stdin and stop the process; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.fault) {
      const bye = this.connection.sendRequest('shutdown', {}).catch(() => undefined);
      await Promise.race([bye, new Promise((r) => setTimeout(r, 1000).unref())]);
    }
    this.closed = true;
    this.failAll(new AppProtocolError(this.name, 'process', 'closed'));
    this.connection.dispose();
    this.process.stdin.end();
    const stopped = await Promise.race([
      this.process.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 1000).unref()),
    ]);
    if (!stopped) this.process.kill();
    await this.process.catch(() => undefined);
  }

  private failAll(e: AppProtocolError): void {
    this.fault ??= e;
    for (const p of this.pending) p.reject(e);
    this.pending.clear();
  }

  private failPhone(phone: string | undefined, e: Error): void {
    for (const p of this.pending)
      if (phone === undefined || p.phone === phone || p.phone === undefined) p.reject(e);
  }
}

/** execa's cleanup kills the process when ichiren exits; its output is read as a stream. */
const spawnApp = (file: string, args: readonly string[], cwd: string | undefined) =>
  execa(file, args, {
    ...(cwd ? { cwd } : {}),
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: true,
    forceKillAfterDelay: 2000,
  });

/** vscode-jsonrpc's own codes for a message it could not write or a connection that ended. */
const TRANSPORT_ERRORS = new Set<number>([
  ErrorCodes.MessageWriteError,
  ErrorCodes.MessageReadError,
  ErrorCodes.PendingResponseRejected,
  ErrorCodes.ConnectionInactive,
]);

const phoneOf = (params: unknown): string | undefined => {
  const p = (params as { phone?: unknown } | undefined)?.phone;
  return typeof p === 'string' ? p : undefined;
};
