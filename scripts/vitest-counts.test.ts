import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./vitest-counts.mjs', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-counts-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function counts(report: unknown, ...flags: string[]) {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(report));
  const r = await execa('node', [script, ...flags, file], { cwd: dir });
  return r.stdout.split('\n');
}

describe('vitest-counts: the closing line CI reads', () => {
  it('counts a file that failed to load as a failure and ends with the plain line', async () => {
    const lines = await counts({
      numPassedTests: 7,
      numFailedTests: 1,
      numPendingTests: 2,
      numTodoTests: 0,
      testResults: [
        { name: path.join(dir, 'a.test.ts'), status: 'failed', assertionResults: [] },
        { name: path.join(dir, 'b.test.ts'), status: 'passed', assertionResults: [{ status: 'passed' }] },
      ],
    });
    expect(lines.at(-1)).toBe('7 passed, 2 failed, 2 skipped');
  });

  it('names skipped tests by file before the closing line with --list-skipped', async () => {
    const lines = await counts(
      {
        numPassedTests: 1,
        numFailedTests: 0,
        numPendingTests: 1,
        testResults: [
          {
            name: path.join(dir, 'c.test.ts'),
            status: 'passed',
            assertionResults: [
              { status: 'passed', fullName: 'c works' },
              { status: 'skipped', fullName: 'c needs docker' },
            ],
          },
        ],
      },
      '--list-skipped',
    );
    expect(lines).toEqual(['skipped in c.test.ts:', '  - c needs docker', '1 passed, 0 failed, 1 skipped']);
  });

  it('reports an unreadable report as one failure rather than crashing', async () => {
    const r = await execa('node', [script, path.join(dir, 'missing.json')], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').at(-1)).toBe('0 passed, 1 failed');
  });
});
