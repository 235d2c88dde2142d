/**
 * ichiren as an observer of what the server publishes: it reads list.json and every export it lists
 * over HTTP, as a phone would, verifies each signature against the server's keys, and names the keys
 * each file holds. The publish link is judged on this, never on the server's own report of a batch.
 * Export files never change once listed, so each is read once per stack.
 */

import { readExportZip, verifyExport } from '../protocol/export/index.js';
import { type KeyRef, keyRef } from '../protocol/key-ref.js';
import { httpRequest } from '../stack/http-client.js';
import type { ServerEndpoints, StartedStack } from '../stack/types.js';

export interface ObservedExport {
  /** The entry's `url` in list.json. */
  readonly url: string;
  /** Last path segment, e.g. "12.zip": how a phone's fetch and the listing are matched. */
  readonly file: string;
  /** Batch number from the file name (the server's export sequence), else the export header's. */
  readonly batchNum: number;
  /** list.json `created`, Unix ms. */
  readonly created: number;
  /** True when the file read and its signature verified against the server's verification keys. */
  readonly signed: boolean;
  readonly keys: readonly KeyRef[];
  readonly error?: string;
}

export interface ExportListing {
  readonly listUrl: string;
  /** Real time of the reading, Unix seconds. */
  readonly readAtEpochSeconds: number;
  readonly files: readonly ObservedExport[];
  /** Set when list.json itself could not be read. */
  readonly error?: string;
}

export const fileName = (url: string): string => url.split('?')[0]?.split('/').pop() ?? url;

type Reader = (server: ServerEndpoints, now: number) => Promise<ExportListing>;
const readers = new WeakMap<StartedStack, Reader>();

/** The observer of one started stack (its cache lives as long as the stack object). */
export function exportObserver(stack: StartedStack): Reader {
  const known = readers.get(stack);
  if (known) return known;
  const cache = new Map<string, Promise<Omit<ObservedExport, 'created'>>>();
  // Files read well, as listed (with their `created`): a run reads list.json hundreds of times, and
  // each listing names every file published so far, nearly all of them already read.
  const settled = new Map<string, ObservedExport>();
  const readFile = (server: ServerEndpoints, url: string) => {
    let p = cache.get(url);
    if (!p) {
      p = observeFile(server, url);
      cache.set(url, p);
      // A failed read is retried next time: the failure may be the network, not the file.
      p.then((f) => f.error && cache.delete(url)).catch(() => cache.delete(url));
    }
    return p;
  };
  const listed = async (server: ServerEndpoints, entry: { url: string; created: number }) => {
    const file = { ...(await readFile(server, entry.url)), created: entry.created };
    if (!file.error) settled.set(entry.url, file);
    return file;
  };
  const reader: Reader = async (server, now) => {
    const base = server.cdnUrlBase?.endsWith('/') ? server.cdnUrlBase : `${server.cdnUrlBase}/`;
    const listUrl = `${base}${server.blobContainer}/${server.region}/list.json`;
    let entries: { url: string; created: number }[];
    try {
      const res = await httpRequest(listUrl);
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = JSON.parse(text) as unknown;
      if (!Array.isArray(body)) throw new Error('not a JSON array');
      entries = body
        .filter((e) => typeof e?.url === 'string')
        .map((e) => ({ url: String(e.url), created: Number(e.created) || 0 }));
    } catch (e) {
      return { listUrl, readAtEpochSeconds: now, files: [], error: `${listUrl}: ${message(e)}` };
    }
    const files: ObservedExport[] = [];
    const reads: Promise<void>[] = [];
    entries.forEach((e, i) => {
      const known = settled.get(e.url);
      if (known?.created === e.created) files[i] = known;
      else
        reads.push(
          listed(server, e).then((f) => {
            files[i] = f;
          }),
        );
    });
    await Promise.all(reads);
    return { listUrl, readAtEpochSeconds: now, files };
  };
  readers.set(stack, reader);
  return reader;
}

async function observeFile(server: ServerEndpoints, url: string): Promise<Omit<ObservedExport, 'created'>> {
  const file = fileName(url);
  const fromName = Number(/(\d+)\.zip$/.exec(file)?.[1] ?? Number.NaN);
  try {
    const res = await httpRequest(url);
    const bytes = await res.bytes();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const parsed = readExportZip(bytes);
    const verification = verifyExport(parsed, server.verificationKeys);
    return {
      url,
      file,
      batchNum: Number.isFinite(fromName) ? fromName : parsed.export.batchNum,
      signed: verification.valid,
      keys: [...parsed.export.keys, ...parsed.export.revisedKeys].map(keyRef),
      ...(verification.valid ? {} : { error: `signature not verified: ${verification.reason}` }),
    };
  } catch (e) {
    return { url, file, batchNum: fromName, signed: false, keys: [], error: message(e) };
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
