import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeReportFile } from './write-report-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-write-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('writeReportFile', () => {
  it('creates the folder, replaces the file and leaves no temp file', async () => {
    const out = path.join(dir, 'nested', 'reports');
    expect(await writeReportFile(out, 'results.json', '{"a":1}\n')).toBe(path.join(out, 'results.json'));
    await writeReportFile(out, 'results.json', '{"a":2}\n');
    expect(await readFile(path.join(out, 'results.json'), 'utf8')).toBe('{"a":2}\n');
    expect(await readdir(out)).toEqual(['results.json']);
  });

  it('leaves the previous complete file when the writer is killed mid-write', async () => {
    const helper = fileURLToPath(new URL('./write-report-file.ts', import.meta.url));
    // A previous run's report; the killed writer replaces it with ~8 MB of JSON again and again.
    await writeFile(path.join(dir, 'results.json'), '{"previous":true}\n');
    const script = `const { writeReportFile } = await import(${JSON.stringify(helper)});
const big = JSON.stringify({ cells: Array.from({ length: 100000 }, (_, i) => ({ i, text: 'x'.repeat(20) })) });
process.stdout.write('ready\\n');
for (;;) await writeReportFile(${JSON.stringify(dir)}, 'results.json', big);`;
    for (let round = 0; round < 3; round++) {
      const child = execa('node', ['--import', 'tsx', '--input-type=module', '-e', script], {
        reject: false,
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
      });
      await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 300)));
      child.kill('SIGKILL');
      await child;
      // Whatever the moment of the kill, the report is a complete JSON document.
      const text = await readFile(path.join(dir, 'results.json'), 'utf8');
      expect(() => JSON.parse(text)).not.toThrow();
    }
  }, 60_000);
});
