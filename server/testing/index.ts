/** Test helpers others may reuse (stack and container tests): real PostgreSQL, an OK-only HER-SYS, bodies. */
export {
  failingHersys,
  hersysHandlers,
  type RecordedCall,
  startTestHersys,
  type TestHersys,
} from './hersys-handlers.js';
export { startOkHersys } from './ok-hersys.js';
export { postgresUnavailableReason, startTestPostgres, type TestPostgres } from './postgres.js';
export { type SpawnedServer, spawnServer } from './spawn-server.js';
export { todayInterval, v1Body, v2Body, v3Body, type WireKeyInput, wireKey } from './uploads.js';
