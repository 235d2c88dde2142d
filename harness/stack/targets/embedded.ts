import { type ServerClock, startReferenceServer } from '../../../server/index.js';
import type { StartedHerSysStub } from '../../../stubs/hersys/index.js';
import type { LogBuffer } from '../logs.js';
import type { StackOptions } from '../options.js';
import type { StackOwner } from '../owner.js';
import { cellEndpoints, type ServerHandle } from './server-handle.js';

/** The reference server in this process (PGlite in memory): the quickest target. */
export async function startEmbeddedServer(
  owner: StackOwner,
  logs: LogBuffer,
  options: StackOptions,
  hersys: StartedHerSysStub,
  clock: ServerClock,
): Promise<ServerHandle> {
  const server = await owner.run({
    title: 'reference server (embedded)',
    start: async () =>
      startReferenceServer(
        {
          ...(options.serverDatabase ? { database: await options.serverDatabase() } : {}),
          ...(options.serverBehaviour ? { behaviour: options.serverBehaviour as never } : {}),
          ...(options.configurationSet ? { configSet: options.configurationSet as never } : {}),
          ...(options.apiSecret ? { apiSecret: options.apiSecret } : {}),
          hersys: { url: hersys.verifyUrl },
          // The run's clock itself: the server reads every "now" from it.
          clock,
        },
        (line) => logs.add('server', line),
      ),
    stop: (s) => s.stop(),
  });
  const endpoints = {
    apiUrlBase: server.apiUrlBase,
    cdnUrlBase: server.cdnUrlBase,
    blobContainer: server.config.blobContainer,
    region: server.config.region,
    apiSecret: server.apiSecret,
    verificationKeys: server.verificationKeys,
  };
  return {
    endpoints,
    publish: () => server.publish(),
    cell: (name) => ({ server: cellEndpoints(endpoints, name), publish: () => server.publish(name) }),
  };
}
