import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import type { StartedHerSysStub } from '../../../stubs/hersys/index.js';
import { adminClockSetter, type StackClock } from '../clock.js';
import { StackError } from '../errors.js';
import type { LogBuffer } from '../logs.js';
import {
  DEFAULT_BLOB_CONTAINER,
  DEFAULT_REGION,
  DEFAULT_SERVER_COMMAND,
  type StackOptions,
} from '../options.js';
import type { StackOwner } from '../owner.js';
import { adminPublisher } from '../publish.js';
import { trackResource } from '../registry.js';
import { waitForHttp, waitForLogLine } from '../wait.js';
import {
  cellEndpoints,
  fetchVerificationKeys,
  referenceServerEnv,
  type ServerHandle,
} from './server-handle.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** server/process.ts prints this once the port is bound. */
export const LISTENING_LINE = /listening on (https?:\/\/\S+)/;

/** The server as a real child process (default: the reference server via the CLI). */
export async function startProcessServer(
  owner: StackOwner,
  logs: LogBuffer,
  options: StackOptions,
  hersys: StartedHerSysStub,
  clock: Pick<StackClock, 'now'>,
): Promise<ServerHandle> {
  const adminToken = randomBytes(18).toString('base64url');
  const command = options.serverCommand ?? DEFAULT_SERVER_COMMAND;
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const url = await owner.run<{ url: string; child: ResultPromise }>({
    title: `server process (${command})`,
    start: async (signal) => {
      // Through sh for the quoting a user writes; `exec` so the PID we track and signal is the server's.
      const child = execa('sh', ['-c', `exec ${command}`], {
        cwd: REPO_ROOT,
        env: { ...referenceServerEnv(options, hersys.verifyUrl, adminToken, clock.now()), ...options.env },
        // Killed with us if we exit; SIGKILL if SIGTERM is ignored.
        cleanup: true,
        forceKillAfterDelay: 3_000,
        reject: false,
        buffer: false,
        stdin: 'ignore',
      });
      const untrack = child.pid ? trackResource({ kind: 'pid', pid: child.pid }) : () => {};
      child.stdout?.on('data', (chunk: Buffer) => logs.write('server', chunk, 'out'));
      child.stderr?.on('data', (chunk: Buffer) => logs.write('server', chunk, 'err'));
      const exited = child.then((result) => {
        logs.flush();
        untrack();
        return result;
      });
      const failedEarly = exited.then((result) => {
        const tail = logs
          .lines()
          .filter((l) => l.source === 'server')
          .slice(-5)
          .map((l) => l.line)
          .join(' | ');
        throw new StackError(
          'STACK_NOT_READY',
          `server process exited (${result.exitCode ?? result.signal ?? result.message}) before it was ready${tail ? `; last output: ${tail}` : ''}`,
          command,
        );
      });
      failedEarly.catch(() => {});
      const handle = { url: '', child };
      try {
        const m = await waitForLogLine(logs, 'server', LISTENING_LINE, {
          timeoutMs,
          failed: failedEarly,
        }).wait(signal);
        handle.url = m[1]!.replace(/\/$/, '');
        if (options.readiness !== 'log') {
          await Promise.race([waitForHttp(`${handle.url}/ready`, { timeoutMs }).wait(signal), failedEarly]);
        }
      } catch (error) {
        // The readiness error is the one to report; a child that already died has nothing to add.
        await stopChild(child).catch(() => {});
        throw error;
      }
      return handle;
    },
    stop: async ({ child }) => stopChild(child),
  });
  const cdnUrlBase = `${url.url}/`;
  const endpoints = {
    apiUrlBase: `${url.url}/api`,
    cdnUrlBase,
    blobContainer: DEFAULT_BLOB_CONTAINER,
    region: DEFAULT_REGION,
    apiSecret: options.apiSecret ?? '',
    verificationKeys: await fetchVerificationKeys(cdnUrlBase, DEFAULT_BLOB_CONTAINER),
  };
  return {
    endpoints,
    publish: adminPublisher(url.url, adminToken),
    setClock: adminClockSetter(url.url, adminToken),
    cell: (name) => ({
      server: cellEndpoints(endpoints, name),
      publish: adminPublisher(`${url.url}/cells/${name}`, adminToken),
    }),
  };
}

async function stopChild(child: ResultPromise): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const result = await child;
  // SIGTERM → clean exit (server/process.ts); anything but a crash counts as stopped.
  if (result.exitCode !== undefined && result.exitCode !== 0 && !result.isTerminated) {
    throw new Error(`server process exited with code ${result.exitCode} on stop`);
  }
}
