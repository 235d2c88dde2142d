import { readExportZip } from '../protocol/export/index.js';
import { StackError } from './errors.js';
import { DEFAULT_PUBLISH_TIMEOUT_MS, type PublishStep } from './options.js';
import type { PublishOutcome } from './types.js';
import { retryUntil } from './wait.js';

/** Publishing = "the export batch runs now", done per target: admin call, HTTP, command or polling. */
export type Publisher = () => Promise<PublishOutcome>;

/** The reference server's admin endpoint (server/app.ts `POST /api/admin/publish`). */
export function adminPublisher(baseUrl: string, adminToken: string): Publisher {
  return async () => {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/api/admin/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const text = await response.text();
    if (!response.ok) {
      throw new StackError(
        'STACK_PUBLISH_FAILED',
        `admin publish answered ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    return JSON.parse(text) as PublishOutcome;
  };
}

interface ListEntry {
  readonly url: string;
}

async function readList(listUrl: string): Promise<readonly ListEntry[]> {
  const response = await fetch(listUrl);
  if (!response.ok) throw new Error(`${listUrl} answered ${response.status}`);
  const body = (await response.json()) as unknown;
  if (!Array.isArray(body)) throw new Error(`${listUrl} is not a JSON array`);
  return body.filter((e): e is ListEntry => typeof (e as ListEntry)?.url === 'string');
}

/** New list.json entries → files, counting keys by reading each export (the server's word is not needed). */
async function describe(entries: readonly ListEntry[]): Promise<PublishOutcome['files']> {
  const files = [];
  for (const entry of entries) {
    const response = await fetch(entry.url);
    if (!response.ok) throw new Error(`${entry.url} answered ${response.status}`);
    const parsed = readExportZip(new Uint8Array(await response.arrayBuffer()));
    const batchNum = Number(/(\d+)\.zip$/.exec(entry.url)?.[1] ?? parsed.export.batchNum ?? 0);
    files.push({ url: entry.url, keyCount: parsed.export.keys.length, batchNum });
  }
  return files;
}

/**
 * A publisher for a server we do not run: trigger (or just wait), then diff list.json. The HTTP call
 * and the command each get `timeoutMs`; polling has its own deadline.
 */
export function externalPublisher(
  listUrl: string,
  step: PublishStep,
  timeoutMs = DEFAULT_PUBLISH_TIMEOUT_MS,
): Publisher {
  return async () => {
    const before = new Set((await readList(listUrl)).map((e) => e.url));
    const fresh = async () => (await readList(listUrl)).filter((e) => !before.has(e.url));
    if ('poll' in step) {
      let found: readonly ListEntry[] = [];
      try {
        found = await retryUntil(
          `new entries in ${listUrl}`,
          async () => {
            const entries = await fresh();
            return entries.length > 0 ? entries : undefined;
          },
          { timeoutMs: step.poll.deadlineMs, everyMs: step.poll.everyMs ?? 500 },
        );
      } catch (error) {
        if ((error as StackError).code !== 'STACK_NOT_READY') throw error;
        // Nothing new is a valid outcome (nothing was pending); the runner's downloads judge the rest.
        return {
          ok: true,
          files: [],
          detail: `no new export in ${listUrl} within ${step.poll.deadlineMs} ms`,
        };
      }
      const files = await describe(found);
      return { ok: true, files, detail: `${files.length} new file(s) appeared in ${listUrl}` };
    }
    let detail: string;
    if ('http' in step || ('url' in step && step.url)) {
      const http = 'http' in step ? step.http : { url: (step as { url: string }).url };
      const response = await fetch(http.url, {
        method: http.method ?? 'POST',
        headers: http.headers,
        signal: AbortSignal.timeout(timeoutMs),
      }).catch((error: Error) => {
        throw new StackError(
          'STACK_PUBLISH_FAILED',
          `${http.url}: ${error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error.message}`,
        );
      });
      const text = await response.text();
      if (!response.ok) {
        return {
          ok: false,
          files: [],
          detail: `${http.url} answered ${response.status}: ${text.slice(0, 200)}`,
        };
      }
      detail = `${http.method ?? 'POST'} ${http.url} → ${response.status}`;
    } else if ('command' in step && step.command) {
      const { execa } = await import('execa'); // loaded only for a command step
      const result = await execa('sh', ['-c', step.command], {
        reject: false,
        all: true,
        timeout: timeoutMs,
      });
      if (result.exitCode !== 0) {
        return {
          ok: false,
          files: [],
          detail: `publish command exited ${result.exitCode ?? result.signal}: ${String(result.all ?? '').slice(-300)}`,
        };
      }
      detail = `publish command exited 0`;
    } else {
      throw new StackError(
        'STACK_OPTIONS_INVALID',
        'stack options: publish: needs http, url, command or poll',
        'publish',
      );
    }
    const files = await describe(await fresh());
    return { ok: true, files, detail: `${detail}; ${files.length} new file(s)` };
  };
}
