import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript (it runs before any TypeScript loader), no declarations
import { compiledEntry } from './compiled-cli.js';

let root: string;
let bundlesDir: string;
const env: NodeJS.ProcessEnv = {};

function write(file: string, text: string): void {
  writeFileSync(path.join(root, file), text);
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ichiren-compiled-'));
  bundlesDir = path.join(root, 'cache', 'cli');
  write('beside.txt', 'read beside the source');
  write('other.ts', "export const greeting: string = 'hello';\n");
  write(
    'entry.ts',
    [
      "import { readFileSync } from 'node:fs';",
      "import { greeting } from './other.js';",
      'export const here = import.meta.url;',
      "export const beside = readFileSync(new URL('./beside.txt', import.meta.url), 'utf8');",
      'export const later = async () => (await import("./other.js")).greeting;',
      'export { greeting };',
      '',
    ].join('\n'),
  );
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const bundles = () => readdirSync(bundlesDir).filter((f: string) => f.startsWith('bundle-'));
/** This checkout's record of its current bundle (one per checkout). */
const currentFile = () => {
  const [name] = readdirSync(bundlesDir).filter((f: string) => /^current-[0-9a-f]{16}\.json$/.test(f));
  return path.join(bundlesDir, name as string);
};

describe('compiledEntry', () => {
  it('bundles the sources; import.meta.url stays the source file, so files beside it are found', async () => {
    const { entry: url } = await compiledEntry(root, 'entry.ts', { env, bundlesDir });
    expect(url).toMatch(/^file:.*\/cache\/cli\/bundle-[0-9a-f]{16}\/entry\.js$/);
    const mod = await import(url);
    expect(mod.greeting).toBe('hello');
    expect(mod.here).toBe(pathToFileURL(path.join(root, 'entry.ts')).href);
    expect(mod.beside).toBe('read beside the source');
    expect(await mod.later()).toBe('hello');
  });

  it('reuses the bundle while the sources are unchanged and rebuilds when one changes', async () => {
    const first = (await compiledEntry(root, 'entry.ts', { env, bundlesDir })).entry;
    const current = readFileSync(currentFile(), 'utf8');
    expect((await compiledEntry(root, 'entry.ts', { env, bundlesDir })).entry).toBe(first);
    expect(readFileSync(currentFile(), 'utf8')).toBe(current);

    write('other.ts', "export const greeting: string = 'changed';\n");
    const second = (await compiledEntry(root, 'entry.ts', { env, bundlesDir })).entry;
    expect(second).not.toBe(first);
    expect((await import(second)).greeting).toBe('changed');
    expect(bundles()).toHaveLength(2); // the older one stays a day: a running process may still use it
  });

  it('does not reuse a bundle another version of compiled-cli.js made', async () => {
    await compiledEntry(root, 'entry.ts', { env, bundlesDir });
    const file = currentFile();
    const current = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...current, builder: 'an older builder' }));
    await compiledEntry(root, 'entry.ts', { env, bundlesDir });
    expect(JSON.parse(readFileSync(file, 'utf8')).builder).toBe(current.builder);
  });

  it('keys the bundle by its checkout: two checkouts with the same sources and one cache read their own files', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'ichiren-compiled-other-'));
    try {
      for (const f of ['entry.ts', 'other.ts'])
        writeFileSync(path.join(other, f), readFileSync(path.join(root, f)));
      writeFileSync(path.join(other, 'beside.txt'), 'the other checkout');
      const mine = await compiledEntry(root, 'entry.ts', { env, bundlesDir });
      const theirs = await compiledEntry(other, 'entry.ts', { env, bundlesDir });
      expect(theirs.bundle).not.toBe(mine.bundle);
      const [a, b] = [await import(mine.entry), await import(theirs.entry)];
      expect(a.here).toBe(pathToFileURL(path.join(root, 'entry.ts')).href);
      expect(b.here).toBe(pathToFileURL(path.join(other, 'entry.ts')).href);
      expect(b.beside).toBe('the other checkout');
      // Each keeps its own current bundle: alternating checkouts rebuild nothing.
      expect((await compiledEntry(root, 'entry.ts', { env, bundlesDir })).bundle).toBe(mine.bundle);
      expect((await compiledEntry(other, 'entry.ts', { env, bundlesDir })).bundle).toBe(theirs.bundle);
      const records = readdirSync(bundlesDir).filter((f: string) => f.startsWith('current-'));
      expect(records).toHaveLength(2);
      for (const bundle of [mine.bundle, theirs.bundle])
        expect(readFileSync(path.join(bundle, 'entry.js'), 'utf8')).not.toContain(
          bundle === mine.bundle ? other : root,
        );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('records every input: a change to an imported file alone is seen', async () => {
    await compiledEntry(root, 'entry.ts', { env, bundlesDir });
    const { inputs } = JSON.parse(readFileSync(currentFile(), 'utf8'));
    expect(Object.keys(inputs).sort()).toEqual(['entry.ts', 'other.ts']);
  });

  it('compiles every *.worker.ts below the worker folders at its own path, ready for a Worker', async () => {
    mkdirSync(path.join(root, 'jobs', 'deep'), { recursive: true });
    write(
      'jobs/deep/sum.worker.ts',
      [
        "import { parentPort, workerData } from 'node:worker_threads';",
        "import { greeting } from '../../other.js';",
        "parentPort?.postMessage(greeting + ' ' + (workerData as number[]).reduce((a, b) => a + b, 0));",
        '',
      ].join('\n'),
    );
    const { bundle } = await compiledEntry(root, 'entry.ts', {
      env,
      bundlesDir,
      workerFolders: ['jobs', 'missing'],
    });
    const worker = new Worker(path.join(bundle, 'jobs', 'deep', 'sum.worker.js'), { workerData: [1, 2, 3] });
    const [message] = await once(worker, 'message');
    await worker.terminate();
    expect(message).toBe('hello 6');
  });

  it('gives undefined (the caller runs the sources through tsx) for a syntax error or when turned off', async () => {
    expect(
      await compiledEntry(root, 'entry.ts', { env: { ICHIREN_NO_BUNDLE: '1' }, bundlesDir }),
    ).toBeUndefined();
    write('other.ts', 'export const greeting: string = ;\n');
    expect(await compiledEntry(root, 'entry.ts', { env, bundlesDir })).toBeUndefined();
    expect(bundles()).toHaveLength(0);
    expect(readdirSync(bundlesDir).filter((f: string) => f.startsWith('.'))).toEqual([]);
  });
});

describe('bin/ichiren.js', () => {
  it('runs compiled whatever ICHIREN_CACHE_DIR says (the bundle must find the packages it imports)', async () => {
    const { execa } = await import('execa');
    const cache = mkdtempSync(path.join(tmpdir(), 'ichiren-cache-'));
    const run = await execa('node', ['bin/ichiren.js', 'keys', '--help'], {
      env: { ICHIREN_CACHE_DIR: cache },
      reject: false,
    });
    rmSync(cache, { recursive: true, force: true });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Usage: ichiren keys');
  });
});
