/**
 * `ichiren hersys` runs the stub in this worker thread, under a bounded heap (HERSYS_HEAP_MB): a stub
 * left running for weeks keeps its memory flat. Unbounded, V8 lets a busy process's heap grow to
 * hundreds of MB of garbage before it collects (npm run bench -- hersys-memory). Messages to the main
 * thread: `ready` with the addresses, `logs` every 200 ms, `stopped` after a `stop` message.
 */
import { parentPort } from 'node:worker_threads';
import { workerInput } from '../../harness/environment/workers.js';
import { type HerSysStubOptions, type StartedHerSysStub, startHerSysStub } from './stub.js';

/** What the main thread learns of the started stub. */
const ADDRESS = ['url', 'verifyUrl', 'controlUrl', 'controlToken', 'parameterName', 'seed'] as const;

export type StubWorkerMessage =
  | ({ readonly kind: 'ready' } & Pick<StartedHerSysStub, (typeof ADDRESS)[number]>)
  | { readonly kind: 'logs'; readonly lines: readonly string[]; readonly missed: number }
  | { readonly kind: 'stopped' };

const port = parentPort;
if (!port) throw new Error('stub.worker.ts runs as a worker thread');
const post = (m: StubWorkerMessage) => port.postMessage(m);
const stub = await startHerSysStub(workerInput<HerSysStubOptions>());
let cursor = 0;
const flush = () => {
  const { lines, next, missed } = stub.logsAfter(cursor);
  cursor = next;
  if (lines.length > 0 || missed > 0) post({ kind: 'logs', lines, missed });
};
const timer = setInterval(flush, 200);
post({ kind: 'ready', ...Object.fromEntries(ADDRESS.map((k) => [k, stub[k]])) } as StubWorkerMessage);
port.on('message', async (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  await stub.stop();
  flush();
  post({ kind: 'stopped' });
  port.close();
});
