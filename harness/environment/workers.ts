/**
 * Worker threads on our own TypeScript modules, named `*.worker.ts`. The compiled CLI
 * (bin/compiled-cli.js) bundles each of them as an entry of its own, and bin/ichiren.js says where;
 * run from the sources (tsx, vitest), a bootstrap loads the module through tsx.
 */
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions, workerData } from 'node:worker_threads';

interface Bundle {
  readonly root: string;
  readonly bundle: string;
}

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

/** The compiled file of a worker source, when this process runs the compiled CLI. */
function compiledWorker(source: URL): URL | undefined {
  const compiled = (globalThis as Record<symbol, Bundle | undefined>)[Symbol.for('ichiren.bundle')];
  if (!compiled) return undefined;
  const relative = path.relative(compiled.root, fileURLToPath(source));
  return pathToFileURL(path.join(compiled.bundle, relative.replace(/\.ts$/, '.js')));
}

/**
 * Starts `source` (a `*.worker.ts` file URL) in a worker thread; `data` reaches it as workerInput().
 * The worker should call yieldToMainThread() first: in the CLI, V8's helper threads run at the lowest
 * priority (bin/thread-priority.js), and an idle worker above them spins, its garbage collector
 * polling for a sweep they have no core to finish (commit ecc706a, the third pass on the e2e time).
 */
export function startWorker(
  source: URL,
  data: unknown,
  options: Omit<WorkerOptions, 'workerData'> = {},
): Worker {
  if (!source.pathname.endsWith('.worker.ts'))
    throw new Error(
      `${source.pathname}: worker modules are named *.worker.ts (the compiled CLI bundles those)`,
    );
  const compiled = compiledWorker(source);
  return compiled
    ? new Worker(compiled, { ...options, workerData: { data } })
    : new Worker(BOOTSTRAP, { ...options, workerData: { module: source.href, data } });
}

/** Inside a worker started by startWorker: the `data` it was given. */
export function workerInput<T>(): T {
  return (workerData as { data: T }).data;
}

/**
 * Lowers the calling thread's scheduling priority, where a thread has one of its own (Linux: each
 * thread has its own nice value, set through its thread id). A worker whose results are needed only
 * at the end of the run (the report's charts) then takes the CPU the main thread leaves, instead of
 * taking turns with it on a machine of two cores. Elsewhere it does nothing: true when it took effect.
 */
export function yieldToMainThread(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid === process.pid) return false; // never the whole process's main thread
    setPriority(tid, constants.priority.PRIORITY_LOW);
    return true;
  } catch {
    return false;
  }
}
