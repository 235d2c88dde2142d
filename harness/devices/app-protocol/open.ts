/**
 * Opening the app a phone runs, by its id: a built-in build (or vendor TypeScript module) in-process,
 * or an external command (`exec:<command>`) over stdio. External apps run one process per command for
 * the whole run, serving every phone by its id (docs/app-protocol.md "Processes"); a process that
 * faulted is replaced for the next phone. closeExternalApps() stops them all (the run's end).
 */
import { relative } from 'node:path';
import type { AppBuild } from '../apps/types.js';
import { builtinApp } from './builtin-app.js';
import { type AppEndpoint, AppProtocolError, InProcessEndpoint } from './endpoint.js';
import { majorOf, PROTOCOL_VERSION, type ResultOf } from './messages.js';
import { StdioEndpoint } from './stdio.js';

export const EXTERNAL_PREFIX = 'exec:';

/** An external app as a release names it. */
export interface ExternalAppSpec {
  readonly command: string;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export type AppDeclaration = ResultOf<'initialize'>;

export interface OpenedApp {
  readonly endpoint: AppEndpoint;
  readonly declaration: AppDeclaration;
}

export const isExternalApp = (id: string): boolean => id.startsWith(EXTERNAL_PREFIX);
export const externalAppId = (command: string): string => `${EXTERNAL_PREFIX}${command}`;

/** Options of external apps by id (cwd, time-out), registered by the release that names them. */
const specs = new Map<string, ExternalAppSpec>();
export function registerExternalApp(spec: ExternalAppSpec): string {
  // The working directory is part of the app's identity; relative to ichiren's, short in reports.
  const id = externalAppId(
    spec.cwd ? `${spec.command} (in ${relative(process.cwd(), spec.cwd) || '.'})` : spec.command,
  );
  specs.set(id, spec);
  return id;
}

/** The process handshake: `initialize`, refusing an unknown major version. */
export async function handshake(endpoint: AppEndpoint): Promise<AppDeclaration> {
  const declaration = await endpoint.request('initialize', {
    protocolVersion: PROTOCOL_VERSION,
    client: { name: 'ichiren', version: PROTOCOL_VERSION },
  });
  if (majorOf(declaration.protocolVersion) !== majorOf(PROTOCOL_VERSION))
    throw new AppProtocolError(
      endpoint.name,
      'initialize',
      `speaks protocol ${declaration.protocolVersion}; ichiren speaks ${PROTOCOL_VERSION} (major ${majorOf(PROTOCOL_VERSION)} only)`,
    );
  return declaration;
}

const running = new Map<string, Promise<OpenedApp & { endpoint: StdioEndpoint }>>();

/** The shared process of an external app, started (and handshaken) on first use. */
export async function openExternalApp(id: string): Promise<OpenedApp> {
  const current = running.get(id);
  if (current) {
    const opened = await current.catch(() => undefined);
    if (opened?.endpoint.usable) return opened;
    running.delete(id);
    if (!opened) return current; // its start failed: the same error again
  }
  const spec = specs.get(id) ?? { command: id.slice(EXTERNAL_PREFIX.length) };
  const start = (async () => {
    const endpoint = new StdioEndpoint(spec);
    try {
      return { endpoint, declaration: await handshake(endpoint) };
    } catch (e) {
      await endpoint.close();
      throw e;
    }
  })();
  running.set(id, start);
  return start;
}

/** Stops every external app process this run started. */
export async function closeExternalApps(): Promise<void> {
  const all = [...running.values()];
  running.clear();
  await Promise.all(all.map((p) => p.then((o) => o.endpoint.close()).catch(() => undefined)));
}

/** A built-in build (or TypeScript module) in-process, over the same contract. */
export async function openBuiltinApp(
  build: AppBuild,
  random: (phone: string) => (n: number) => Uint8Array,
): Promise<OpenedApp> {
  const endpoint = new InProcessEndpoint(build.id, (framework) => builtinApp(build, framework, random));
  return { endpoint, declaration: await handshake(endpoint) };
}
