/**
 * What the observer can see of the deployed server's identity without any privilege: the
 * configuration the phones download (hashed), the export batches listed, and an optional version
 * endpoint. Between two observations, a change here names what changed on the server side.
 */
import { createHash } from 'node:crypto';
import type { ServerEndpoints } from '../stack/types.js';
import type { ServerIdentity } from './types.js';

const withSlash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

/** The files COCOA reads at every check (cocoa.md §1.5): their bytes decide scoring. */
export function configurationUrls(server: ServerEndpoints): string[] {
  const cdn = `${withSlash(server.cdnUrlBase)}${server.blobContainer}`;
  return [
    `${cdn}/Configration.json`,
    `${cdn}/exposure_configuration/configuration.json`,
    `${cdn}/exposure_configuration/risk_calculation_configuration.json`,
  ];
}

export const listUrl = (server: ServerEndpoints) =>
  `${withSlash(server.cdnUrlBase)}${server.blobContainer}/${server.region}/list.json`;

type Fetch = typeof fetch;

async function text(fetcher: Fetch, url: string, headers: Record<string, string>): Promise<string | null> {
  try {
    const r = await fetcher(url, { headers, signal: AbortSignal.timeout(10_000) });
    return r.ok ? await r.text() : null;
  } catch {
    return null;
  }
}

export async function probeIdentity(
  server: ServerEndpoints,
  options: { versionUrl?: string; fetcher?: Fetch } = {},
): Promise<ServerIdentity> {
  const fetcher = options.fetcher ?? fetch;
  const headers: Record<string, string> = server.apiSecret ? { 'x-functions-key': server.apiSecret } : {};
  const hash = createHash('sha256');
  let any = false;
  for (const url of configurationUrls(server)) {
    const body = await text(fetcher, url, headers);
    if (body === null) continue;
    any = true;
    hash.update(`${url.slice(url.lastIndexOf('/') + 1)}\n${body}\n`);
  }
  const list = await text(fetcher, listUrl(server), headers);
  let batchNumbers: number[] = [];
  try {
    const entries = list ? (JSON.parse(list) as { url?: string }[]) : [];
    batchNumbers = entries
      .map((e) => Number(/(\d+)\.zip$/.exec(e.url ?? '')?.[1]))
      .filter((n) => Number.isFinite(n))
      .sort((a, b) => a - b);
  } catch {
    batchNumbers = [];
  }
  const version = options.versionUrl ? await text(fetcher, options.versionUrl, {}) : null;
  return {
    serverVersion: version === null ? null : version.trim().slice(0, 200),
    configHash: any ? hash.digest('hex').slice(0, 16) : null,
    batchNumbers,
  };
}
