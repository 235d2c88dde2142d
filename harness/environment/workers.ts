/**
 * Worker threads on our own TypeScript modules, named `*.worker.ts`. The compiled CLI
 * (bin/compiled-cli.js) bundles each of them as an entry of its own, and bin/ichiren.js says where;
 * run from the sources (tsx, vitest), a bootstrap loads the module through tsx.
 */
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

/** Starts `source` (a `*.worker.ts` file URL) in a worker thread; `data` reaches it as workerInput(). */
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
