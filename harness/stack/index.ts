/** The system under test, up and down on four targets (embedded, process, container, url). */
import { ownedClock, type StackClock, serverDate } from './clock.js';
import { StackError } from './errors.js';
import { LogBuffer } from './logs.js';
import { checkStackOptions, type StackOptions, stubSeed } from './options.js';
import { StackOwner } from './owner.js';
import { herSysTask } from './targets/hersys.js';
import type { ServerHandle } from './targets/server-handle.js';
import type { StartedStack } from './types.js';

export type { StackClock } from './clock.js';
export { StackError, type StackErrorCode } from './errors.js';
export {
  DEFAULT_DATABASE_IMAGE,
  DEFAULT_SERVER_COMMAND,
  DEFAULT_SERVER_IMAGE,
  type PublishStep,
  type StackOptions,
} from './options.js';
export { StackOwner, type StackTask } from './owner.js';
export { releaseSync } from './registry.js';
export { dockerAvailable, imageExists } from './targets/docker.js';
export { parseVerificationKey } from './targets/url.js';
export type * from './types.js';
export { retryUntil, type WaitStrategy, waitForHttp, waitForLogLine } from './wait.js';

/**
 * Starts HER-SYS (always the local stub) and the server on the chosen target, pointed at it. On any
 * failure, what was started is stopped before the error (naming the failed task) is thrown.
 */
export async function startStack(options: StackOptions): Promise<StartedStack> {
  checkStackOptions(options);
  const logs = new LogBuffer();
  const owner = new StackOwner(logs);
  // One clock for every part the run starts; a deployed server's is read once it answers (below).
  const clock = ownedClock(options.nowMs);
  const hersysTask = herSysTask(
    logs,
    stubSeed(options),
    {
      ...(options.hersys?.host ? { host: options.hersys.host } : {}),
      ...(options.hersys?.port !== undefined ? { port: options.hersys.port } : {}),
    },
    () => clock.now(),
  );
  let server: ServerHandle;
  try {
    const hersys = await owner.run(hersysTask);
    server = await startServer(owner, logs, options, hersys, clock);
    // A deployed server keeps its own clock: the phones and the stub run on what its Date header says.
    if (options.target === 'url')
      clock.set(await serverDate(`${server.endpoints.apiUrlBase.replace(/\/api$/, '')}/`));
  } catch (error) {
    // owner.run already stopped everything when a task failed; this covers errors between tasks.
    await owner.stop().catch(() => {});
    hersysTask.sync();
    logs.flush();
    if (error instanceof StackError) error.logs = logs.lines();
    throw error;
  }
  const hersys = hersysTask.started()!;
  const stop = async () => {
    await owner.stop();
    hersysTask.sync();
    logs.flush();
  };
  const setServerClock = server.setClock;
  const stackClock: StackClock = {
    now: () => clock.now(),
    movable: options.target !== 'url',
    moveTo: async (ms) => {
      if (options.target === 'url')
        throw new StackError(
          'STACK_OPTIONS_INVALID',
          "a deployed server's clock cannot be moved: this scenario needs a server the run starts",
          'target',
        );
      clock.set(ms);
      await setServerClock?.(ms);
    },
  };
  return {
    target: options.target,
    clock: stackClock,
    server: server.endpoints,
    hersys: { url: hersys.url, controlToken: hersys.controlToken, controlUrl: hersys.controlUrl },
    publish: server.publish,
    ...(server.cell ? { cell: server.cell } : {}),
    logs: () => {
      hersysTask.sync();
      return logs.lines();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

async function startServer(
  owner: StackOwner,
  logs: LogBuffer,
  options: StackOptions,
  hersys: Awaited<ReturnType<ReturnType<typeof herSysTask>['start']>>,
  clock: ReturnType<typeof ownedClock>,
): Promise<ServerHandle> {
  switch (options.target) {
    case 'embedded':
      return (await import('./targets/embedded.js')).startEmbeddedServer(owner, logs, options, hersys, clock);
    case 'process':
      return (await import('./targets/process.js')).startProcessServer(owner, logs, options, hersys, clock);
    case 'container':
      return (await import('./targets/container.js')).startContainerServer(
        owner,
        logs,
        options,
        hersys,
        clock,
      );
    case 'url':
      return owner.run({
        title: `server at ${options.serverUrl}`,
        start: async () => (await import('./targets/url.js')).connectUrlServer(options),
      });
  }
}
