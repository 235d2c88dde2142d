// A worker thread's first module when the CLI runs from its TypeScript sources (tsx, vitest): loads
// the worker's own module through tsx (workers.ts).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);
