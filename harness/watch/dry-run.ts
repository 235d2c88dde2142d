/**
 * `ichiren watch --dry-run`: every request one observation will make, found by rehearsing it on a
 * local reference server (the release's behaviour) and recording each HTTP call the observer and
 * its phones make. Calls to ichiren's own HER-SYS stub are listed apart: they never leave the
 * machine. Nothing is recorded in the history and nothing is sent to the target.
 */
import { observeRequests } from '../stack/http-client.js';
import type { StartedStack } from '../stack/types.js';
import { type ObserveOptions, observeRelease, stackOptionsFor } from './observe.js';

export interface PlannedRequest {
  readonly release: string;
  readonly method: string;
  /** `<api>/…` or `<cdn>/…` (the target's bases), or the stub's path. */
  readonly path: string;
  readonly count: number;
  /** Keys carried by uploads of this kind, in total. */
  readonly keys: number;
  readonly local: boolean;
}

export interface DryRunReport {
  readonly target: string;
  readonly requests: readonly PlannedRequest[];
  readonly publish: string;
}

const template = (path: string) => path.replace(/\/\d+\.zip$/, '/{batch}.zip');

function keysIn(body: unknown): number {
  if (typeof body !== 'string') return 0;
  try {
    const parsed = JSON.parse(body) as { keys?: unknown[]; Keys?: unknown[] };
    return (parsed.keys ?? parsed.Keys ?? []).length;
  } catch {
    return 0;
  }
}

function describePublish(o: ObserveOptions): string {
  if (o.publish && 'url' in o.publish && o.publish.url) return `POST ${o.publish.url}`;
  if (o.publish && 'command' in o.publish && o.publish.command)
    return `sh -c ${JSON.stringify(o.publish.command)}`;
  if (o.serverUrl) return 'none: list.json is polled until the server batches on its own (≤ 60 s)';
  return 'POST <server>/api/admin/publish (the reference server started for the observation)';
}

export async function dryRun(options: ObserveOptions): Promise<DryRunReport> {
  const counts = new Map<
    string,
    { release: string; method: string; path: string; count: number; keys: number; local: boolean }
  >();
  const original = globalThis.fetch;
  let stack: StartedStack | undefined;
  let release = '';
  const record = (method: string, url: string, body: unknown) => {
    if (!stack) return;
    const u = new URL(url);
    const hersys = new URL(stack.hersys.url);
    const local =
      u.host === hersys.host ||
      (stack.hersys.controlUrl !== undefined && u.host === new URL(stack.hersys.controlUrl).host);
    const proxied = /^\/[^/]+\/(api|cdn)\/(.*)$/.exec(u.pathname);
    const server = new URL(stack.server.apiUrlBase);
    let path: string;
    if (local) path = `<HER-SYS stub>${u.pathname}`;
    else if (proxied && u.host !== server.host) path = `<${proxied[1]}>/${proxied[2]}`;
    else if (url.startsWith(stack.server.apiUrlBase))
      path = `<api>/${url.slice(stack.server.apiUrlBase.length).replace(/^\//, '')}`;
    else if (url.startsWith(stack.server.cdnUrlBase))
      path = `<cdn>/${url.slice(stack.server.cdnUrlBase.length).replace(/^\//, '')}`;
    else path = u.pathname;
    path = template(path.replace(/\?.*$/, ''));
    const key = `${release} ${method} ${path}`;
    const entry = counts.get(key) ?? { release, method, path, count: 0, keys: 0, local };
    entry.count++;
    entry.keys += keysIn(body);
    counts.set(key, entry);
  };
  // The phones and the runner speak through stack/http-client.ts; the HER-SYS client and the rest
  // through global fetch.
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    record(method, url, init?.body);
    return original(input, init);
  }) as typeof fetch;
  const stopObserving = observeRequests(record);
  try {
    for (const r of options.releases) {
      release = r;
      const rehearsal: ObserveOptions = {
        ...options,
        target: 'embedded',
        onStack: (s) => {
          stack = s;
        },
      };
      delete (rehearsal as { serverUrl?: string }).serverUrl;
      delete (rehearsal as { publish?: unknown }).publish;
      const { run } = await observeRelease(rehearsal, r);
      if (run.status === 'error') throw new Error(`rehearsal of ${r} failed: ${run.error}`);
      stack = undefined;
    }
  } finally {
    globalThis.fetch = original;
    stopObserving();
  }
  const first = options.releases[0] ?? 'latest';
  const { loadRelease } = await import('../scenario/index.js');
  const target = stackOptionsFor(await loadRelease(first), options, options.seed);
  return {
    target:
      target.target === 'url' ? `url ${options.serverUrl}` : `${target.target} (started by the observation)`,
    requests: [...counts.values()].filter((c) => !c.path.includes('admin/publish')),
    publish: describePublish(options),
  };
}

export function formatDryRun(report: DryRunReport): string {
  const lines = [
    `ichiren watch --dry-run: rehearsed on a local reference server; nothing was sent to the target or recorded.`,
    `One observation against ${report.target} makes these requests (<api> = the server's API root, <cdn> = its file root):`,
  ];
  const releases = [...new Set(report.requests.map((r) => r.release))];
  for (const release of releases) {
    lines.push(`  release ${release}:`);
    for (const r of report.requests.filter((q) => q.release === release && !q.local))
      lines.push(
        `    ${r.method.padEnd(5)} ${r.path}  ×${r.count}${r.keys > 0 ? `  (${r.keys} keys of simulated phones, processing numbers of ichiren's HER-SYS stub)` : ''}`,
      );
    lines.push(`    export batch: ${report.publish}  (once per publish step)`);
  }
  const local = report.requests.filter((r) => r.local);
  if (local.length > 0) {
    lines.push("  Local only (ichiren's HER-SYS stub on this machine):");
    const merged = new Map<string, number>();
    for (const r of local)
      merged.set(`${r.method} ${r.path}`, (merged.get(`${r.method} ${r.path}`) ?? 0) + r.count);
    for (const [k, n] of merged) lines.push(`    ${k}  ×${n}`);
  }
  return `${lines.join('\n')}\n`;
}
