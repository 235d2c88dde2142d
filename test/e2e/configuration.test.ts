/**
 * The exposure configuration at scenario level, through the real CLI and embedded stack: the served
 * (published) configuration is parsed and used; a malformed one is refused with the member named, and
 * the fallback is evidence on the score link — never silent.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/runner/results.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-e2e-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(name: string, args: string[]) {
  const reportDir = path.join(dir, name);
  const r = await execa(
    'node',
    ['bin/ichiren.js', 'run', ...args, '--reporter', 'json', '--report-dir', reportDir],
    { cwd: root, reject: false, timeout: 120_000 },
  );
  const res = JSON.parse(await readFile(path.join(reportDir, 'results.json'), 'utf8')) as RunResult;
  const cellsOf = (id: string) => res.scenarios.find((s) => s.id === id)?.cells ?? [];
  return { r, cellsOf, cells: res.scenarios.flatMap((s) => s.cells) };
}

const scoreDetail = (cell: { links: readonly { name: string; detail: string }[] }) =>
  cell.links.find((l) => l.name === 'score')?.detail ?? '';

describe('exposure configuration scenarios (cocoa-2.0)', () => {
  it('uses the served configuration, and shows a malformed one as a named parse error and a fallback', async () => {
    const { r, cellsOf } = await run('config', ['scenarios/configuration.yaml', '--release', 'cocoa-2.0']);
    expect(r.exitCode, r.stderr).toBe(0);
    const served = cellsOf('configuration-served-and-used');
    const malformed = cellsOf('configuration-malformed');
    expect(served.map((c) => c.platform).sort()).toEqual(['android', 'ios']);
    expect(malformed.map((c) => c.platform).sort()).toEqual(['android', 'ios']);
    for (const c of served) {
      expect(scoreDetail(c)).toContain('configuration served as required');
      expect(scoreDetail(c)).not.toContain('fell back');
    }
    for (const c of malformed) {
      expect(scoreDetail(c)).toContain(
        'configuration configuration.json: parse error at member google_exposure_config: expected an object',
      );
      expect(scoreDetail(c)).toContain('fell back to built-in default');
    }
  }, 150_000);

  it('breaks the score link when a scenario requires the served configuration and the app fell back', async () => {
    const text = (await readFile(path.join(root, 'scenarios/configuration.yaml'), 'utf8'))
      .split('\n---\n')[1]
      ?.replace('configuration: fallback', 'configuration: served');
    const file = path.join(dir, 'requires-served.yaml');
    await writeFile(file, text ?? '');
    const { r, cells } = await run('requires-served', [
      file,
      '--release',
      'cocoa-2.0',
      '--platform',
      'android',
    ]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(cells.map((c) => [c.status, c.firstBrokenLink])).toEqual([['failed', 'score']]);
    expect(scoreDetail(cells[0] as (typeof cells)[number])).toContain(
      'configuration required: served, used: fallback',
    );
  }, 150_000);
});
