import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { StartedHerSysStub } from '../../../stubs/hersys/index.js';
import { adminClockSetter, type StackClock } from '../clock.js';
import { StackError } from '../errors.js';
import type { LogBuffer, LogSource } from '../logs.js';
import {
  DEFAULT_BLOB_CONTAINER,
  DEFAULT_DATABASE_IMAGE,
  DEFAULT_REGION,
  DEFAULT_SERVER_IMAGE,
  type StackOptions,
} from '../options.js';
import type { StackOwner } from '../owner.js';
import { adminPublisher } from '../publish.js';
import { trackResource } from '../registry.js';
import { waitForHttp, waitForLogLine } from '../wait.js';
import { dockerAvailable, imageExists } from './docker.js';
import { LISTENING_LINE } from './process.js';
import {
  cellEndpoints,
  fetchVerificationKeys,
  referenceServerEnv,
  type ServerHandle,
} from './server-handle.js';

/**
 * The server image beside a PostgreSQL container, both on the host network (loopback only here, and
 * HER-SYS is on the host's 127.0.0.1). Images are built locally by scripts/build-image.mjs: no registry.
 */
export async function startContainerServer(
  owner: StackOwner,
  logs: LogBuffer,
  options: StackOptions,
  hersys: StartedHerSysStub,
  clock: Pick<StackClock, 'now'>,
): Promise<ServerHandle> {
  if (!dockerAvailable()) {
    throw new StackError(
      'STACK_ENGINE_UNAVAILABLE',
      'container target: no Docker engine answers `docker info`',
    );
  }
  const serverImage = options.serverImage ?? DEFAULT_SERVER_IMAGE;
  const databaseImage = options.databaseImage ?? DEFAULT_DATABASE_IMAGE;
  for (const image of [databaseImage, serverImage]) {
    if (!imageExists(image)) {
      throw new StackError(
        'STACK_ENGINE_UNAVAILABLE',
        `container target: image ${image} not found; build it with \`node scripts/build-image.mjs\``,
        image,
      );
    }
  }
  // The reaper (ryuk) is an image from a registry we cannot reach; our owner and registry stop containers.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const { GenericContainer, Wait } = await import('testcontainers');
  type Started = Awaited<ReturnType<InstanceType<typeof GenericContainer>['start']>>;
  const timeoutMs = options.readyTimeoutMs ?? 90_000;

  const containerTask = (
    title: string,
    source: LogSource,
    build: () => InstanceType<typeof GenericContainer>,
  ) => ({
    title,
    start: async () => {
      const started = await build()
        .withNetworkMode('host')
        .withStartupTimeout(timeoutMs)
        .start()
        .catch((error: Error) => {
          throw new Error(
            `${error.message} (its output: \`docker run --rm --network host ${title.replace(/^.*\((.*)\)$/, '$1')}\`)`,
          );
        });
      const untrack = trackResource({ kind: 'container', id: started.getId() });
      const stream = await started.logs();
      stream.on('data', (chunk: Buffer | string) => logs.write(source, chunk));
      stream.on('error', () => {});
      return { started, untrack };
    },
    stop: async ({ started, untrack }: { started: Started; untrack: () => void }) => {
      await started.stop({ timeout: 5_000, remove: true });
      untrack();
    },
  });

  const pgPort = await freePort();
  await owner.run(
    containerTask(`PostgreSQL container (${databaseImage})`, 'database', () =>
      new GenericContainer(databaseImage)
        .withEnvironment({ PGPORT: String(pgPort) })
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/)),
    ),
  );
  const adminToken = randomBytes(18).toString('base64url');
  const env = {
    ...referenceServerEnv(options, hersys.verifyUrl, adminToken, clock.now()),
    ICHIREN_SERVER_HOST: '127.0.0.1',
    ICHIREN_SERVER_PORT: '0',
    DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/postgres`,
    ...options.env,
  };
  logs.add('harness', `server container: DATABASE_URL=${env.DATABASE_URL}`);
  await owner.run(
    containerTask(`server container (${serverImage})`, 'server', () =>
      new GenericContainer(serverImage)
        .withEnvironment(env)
        .withWaitStrategy(Wait.forLogMessage(LISTENING_LINE)),
    ),
  );
  const url = await owner.run({
    title: 'server readiness (/ready)',
    start: async (signal) => {
      const m = await waitForLogLine(logs, 'server', LISTENING_LINE, { timeoutMs }).wait(signal);
      const base = m[1]!.replace(/\/$/, '');
      await waitForHttp(`${base}/ready`, { timeoutMs }).wait(signal);
      return base;
    },
  });
  const cdnUrlBase = `${url}/`;
  const endpoints = {
    apiUrlBase: `${url}/api`,
    cdnUrlBase,
    blobContainer: DEFAULT_BLOB_CONTAINER,
    region: DEFAULT_REGION,
    apiSecret: options.apiSecret ?? '',
    verificationKeys: await fetchVerificationKeys(cdnUrlBase, DEFAULT_BLOB_CONTAINER),
  };
  return {
    endpoints,
    publish: adminPublisher(url, adminToken),
    setClock: adminClockSetter(url, adminToken),
    cell: (name) => ({
      server: cellEndpoints(endpoints, name),
      publish: adminPublisher(`${url}/cells/${name}`, adminToken),
    }),
  };
}

/** An ephemeral port for PostgreSQL on the host network (postgres cannot report a port 0 choice). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
