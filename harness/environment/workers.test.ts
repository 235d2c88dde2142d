import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorker } from './workers.js';

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
