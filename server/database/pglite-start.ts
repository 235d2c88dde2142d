/**
 * How every in-process PGlite starts (the reference server's database and the watch history).
 *
 * - shared_buffers: PostgreSQL's default 128 MB is set up inside WebAssembly at every start, about a
 *   second of CPU on two cores; 16 MB takes a third of that. These databases hold kilobytes to a few
 *   hundred megabytes of keys, and a page that is not in the buffers is read from PGlite's file
 *   system in the same process, a memory copy.
 * - WAL segments of 1 MB (initdb's --wal-segsize, default 16 MB): the cached dump every in-memory
 *   database starts from (pglite-template.ts) holds at least one segment, and loading it costs in
 *   proportion to its size.
 * - The WebAssembly module (9 MB) is compiled once per process: PGlite caches it only after its
 *   first start has finished, so the stacks and the history started together compiled it each.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PGliteOptions } from '@electric-sql/pglite';

export const SHARED_BUFFERS = '16MB';

let compiled: Promise<WebAssembly.Module> | undefined;

function pgliteModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    return WebAssembly.compile(await readFile(path.join(path.dirname(entry), 'pglite.wasm')));
  })();
  // A failed compile is retried by the next start (and PGlite's own loader reports the error).
  compiled.catch(() => {
    compiled = undefined;
  });
  return compiled;
}

/** Options to spread into `new PGlite({...})`. */
export async function pgliteStartOptions(): Promise<
  Pick<PGliteOptions, 'startParams' | 'initDbStartParams' | 'pgliteWasmModule'>
> {
  const { PGlite } = await import('@electric-sql/pglite');
  const module = await pgliteModule().catch(() => undefined);
  return {
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
    initDbStartParams: ['--wal-segsize=1'],
    ...(module ? { pgliteWasmModule: module } : {}),
  };
}
