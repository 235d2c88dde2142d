import type { Publisher } from '../publish.js';
import type { ServerEndpoints, VerificationPublicKey } from '../types.js';
import { retryUntil } from '../wait.js';

/** What each target hands back to startStack. */
export interface ServerHandle {
  readonly endpoints: ServerEndpoints;
  readonly publish: Publisher;
  /** An isolated cell of a reference server (server/cells.ts). */
  readonly cell?: (name: string) => import('../types.js').IsolatedCell;
  /** Moves the server's own clock (a reference server process or container: its admin call). */
  readonly setClock?: (ms: number) => Promise<void>;
}

/** The reference server's own key list (server/app.ts `GET /c19r/verification-keys.json`). */
export async function fetchVerificationKeys(
  cdnUrlBase: string,
  blobContainer: string,
): Promise<VerificationPublicKey[]> {
  const url = `${cdnUrlBase}${blobContainer}/verification-keys.json`;
  return retryUntil(
    url,
    async () => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`status ${response.status}`);
      return (await response.json()) as VerificationPublicKey[];
    },
    { timeoutMs: 5_000 },
  );
}

/** Reference-server environment (names in server/config.ts SERVER_ENV_VARS). */
export function referenceServerEnv(
  options: { serverBehaviour?: string; configurationSet?: string; apiSecret?: string },
  hersysVerifyUrl: string,
  adminToken: string,
  /** The run's clock now (Unix ms): the server's clock starts there (server/clock.ts). */
  nowMs: number,
): Record<string, string> {
  return {
    HERSYS_URL: hersysVerifyUrl,
    ICHIREN_SERVER_NOW: new Date(nowMs).toISOString(),
    ICHIREN_SERVER_ADMIN_TOKEN: adminToken,
    ...(options.serverBehaviour ? { ICHIREN_SERVER_BEHAVIOUR: options.serverBehaviour } : {}),
    ...(options.configurationSet ? { ICHIREN_SERVER_CONFIG_SET: options.configurationSet } : {}),
    ...(options.apiSecret ? { ICHIREN_SERVER_API_SECRET: options.apiSecret } : {}),
  };
}

/** A cell's endpoints: the server's, below `/cells/<name>/` (server/cells.ts). */
export function cellEndpoints(endpoints: ServerEndpoints, name: string): ServerEndpoints {
  const root = endpoints.cdnUrlBase.replace(/\/$/, '');
  return { ...endpoints, apiUrlBase: `${root}/cells/${name}/api`, cdnUrlBase: `${root}/cells/${name}/` };
}
