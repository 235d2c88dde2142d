/** Resolving an app build by id ("cocoa-1.1.4") or by a vendor module path exporting an AppBuild. */

import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importUserModule } from '../../environment/user-module.js';
import { COCOA_1_1_3, COCOA_1_1_4, COCOA_1_2_2, COCOA_2_X } from './cocoa.js';
import type { AppBuild } from './types.js';

export const BUILT_IN_APP_BUILDS: Readonly<Record<string, AppBuild>> = Object.fromEntries(
  [COCOA_1_1_3, COCOA_1_1_4, COCOA_1_2_2, COCOA_2_X].map((b) => [b.id, b]),
);

export class AppBuildError extends Error {
  readonly code = 'APP_BUILD_UNKNOWN';
  constructor(
    readonly idOrPath: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppBuildError';
  }
}

function isAppBuild(x: unknown): x is AppBuild {
  const b = x as AppBuild;
  return (
    typeof b === 'object' &&
    b !== null &&
    typeof b.id === 'string' &&
    typeof b.prepareUpload === 'function' &&
    typeof b.fetchConfiguration === 'function' &&
    typeof b.decide === 'function'
  );
}

/** Built-in id, or a module path (absolute, or relative to cwd) whose default or `appBuild` export is an AppBuild. */
export async function loadAppBuild(idOrPath: string): Promise<AppBuild> {
  const builtIn = BUILT_IN_APP_BUILDS[idOrPath];
  if (builtIn) return builtIn;
  if (idOrPath.startsWith('exec:'))
    throw new AppBuildError(
      idOrPath,
      `"${idOrPath}" is an external app (app protocol): \`ichiren run\` and \`ichiren app-check\` run it; this command needs an app build or a TypeScript module`,
    );
  if (!/[/\\]|\.[cm]?[jt]s$/.test(idOrPath)) {
    throw new AppBuildError(
      idOrPath,
      `unknown app build "${idOrPath}"; known: ${Object.keys(BUILT_IN_APP_BUILDS).join(', ')} or a module path`,
    );
  }
  const url = pathToFileURL(isAbsolute(idOrPath) ? idOrPath : resolve(idOrPath)).href;
  let mod: Record<string, unknown>;
  try {
    mod = await importUserModule(url);
  } catch (error) {
    throw new AppBuildError(
      idOrPath,
      `cannot load app build module ${idOrPath}: ${(error as Error).message}`,
    );
  }
  const candidate = mod.default ?? mod.appBuild;
  if (!isAppBuild(candidate)) {
    throw new AppBuildError(idOrPath, `${idOrPath}: exports no AppBuild (default or "appBuild")`);
  }
  return candidate;
}
