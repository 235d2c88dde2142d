import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorker, yieldToMainThread } from './workers.js';

const BUNDLE = Symbol.for('ichiren.bundle');
let dir: string;

function file(relative: string, text: string): URL {
  const full = path.join(dir, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return pathToFileURL(full);
}

const ECHO_INPUT = (from: string) =>
  `import { workerInput } from '${pathToFileURL(path.resolve('harness/environment/workers.ts')).href}';\n` +
  `import { parentPort } from 'node:worker_threads';\nparentPort?.postMessage(['${from}', workerInput()]);\n`;

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[BUNDLE];
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('startWorker', () => {
  it('runs a TypeScript worker from its source (tsx) and hands it its data', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ichiren-workers-'));
    const source = file('jobs/echo.worker.ts', ECHO_INPUT('source'));
    const worker = startWorker(source, { n: 1 });
    const [message] = await once(worker, 'message');
    await worker.terminate();
    expect(message).toEqual(['source', { n: 1 }]);
  });

  it('runs the compiled file instead when the CLI runs compiled (bin/ichiren.js says where)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ichiren-workers-'));
    const source = file('root/jobs/echo.worker.ts', ECHO_INPUT('source'));
    file(
      'bundle/jobs/echo.worker.js',
      "import { parentPort, workerData } from 'node:worker_threads';\nparentPort?.postMessage(['compiled', workerData.data]);\n",
    );
    (globalThis as Record<symbol, unknown>)[BUNDLE] = {
      root: path.join(dir, 'root'),
      bundle: path.join(dir, 'bundle'),
    };
    const worker = startWorker(source, [2]);
    const [message] = await once(worker, 'message');
    await worker.terminate();
    expect(message).toEqual(['compiled', [2]]);
  });

  it('takes only modules named *.worker.ts (the ones the compiled CLI bundles)', () => {
    expect(() => startWorker(new URL('file:///x/charts.ts'), undefined)).toThrow(/named \*\.worker\.ts/);
  });
});

describe('yieldToMainThread', () => {
  /** The nice value of the calling thread (field 19 of its stat line). */
  const NICE_OF_THREAD = `import { readFileSync } from 'node:fs';\nconst nice = () => Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ')[16]);\n`;

  it.runIf(process.platform === 'linux')(
    'lowers a worker thread to the lowest priority, and only it',
    async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'ichiren-workers-'));
      const source = file(
        'jobs/nice.worker.ts',
        `${NICE_OF_THREAD}import { yieldToMainThread } from '${pathToFileURL(path.resolve('harness/environment/workers.ts')).href}';\n` +
          `import { parentPort } from 'node:worker_threads';\nconst before = nice();\nconst took = yieldToMainThread();\nparentPort?.postMessage([before, took, nice()]);\n`,
      );
      const worker = startWorker(source, undefined);
      const [[before, took, after]] = await once(worker, 'message');
      await worker.terminate();
      expect(took).toBe(true);
      expect(after).toBe(19);
      expect(before).not.toBe(19);
      // The calling process's main thread keeps its own priority; on it the call does nothing.
      expect(yieldToMainThread()).toBe(false);
    },
  );
});
