import { buildApp } from '../app.js';
import { parseServerConfig } from '../config.js';
import { type Database, openDatabase } from '../database/database.js';
import { loadExposureConfigurationSet } from '../exposure-configuration/index.js';
import { hersysHandlers, startTestHersys, type TestHersys } from './hersys-handlers.js';

/** What a test of the server's routes holds: the app (for `inject`), its PGlite database and HER-SYS. */
export interface OkHersysApp {
  readonly app: ReturnType<typeof buildApp>;
  readonly db: Database;
  readonly hersys: TestHersys;
  close(): Promise<void>;
}

/**
 * The diagnosis API on an in-memory PGlite with a HER-SYS (over loopback HTTP) that says OK to every
 * number, so only the server's own validation stands between a request and storage.
 */
export async function startAppWithOkHersys(): Promise<OkHersysApp> {
  const hersys = await startTestHersys(
    ...hersysHandlers(new Proxy({}, { get: () => 'OK' }) as Record<string, string>, []),
  );
  const db = await openDatabase({});
  const config = parseServerConfig({ hersys: { url: hersys.url } });
  const app = buildApp({
    config,
    adminToken: 'admin-token-123',
    db,
    exposureConfiguration: loadExposureConfigurationSet(config.configSet),
    verificationKeys: [],
    cdnUrlBase: () => 'http://127.0.0.1/',
    publish: async () => ({ ok: true, files: [], detail: '' }),
    logLine: () => {},
  });
  return {
    app,
    db,
    hersys,
    async close() {
      await app.close();
      await hersys.close();
      await db.close();
    },
  };
}
