/**
 * Every relative link and anchor in README.md, docs/ and the folder READMEs resolves; and the check
 * itself finds a missing file, a missing anchor, and ignores links shown as code.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenLinks, markdownFiles } from './docs-links.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'ichiren-links-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('links in the documentation', () => {
  it('reads the README, every page under docs/ and every folder README', () => {
    const files = markdownFiles(ROOT);
    expect(files).toContain('README.md');
    expect(files).toContain(path.join('docs', 'benchmarks.md'));
    expect(files).toContain(path.join('scenarios', 'README.md'));
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
  });

  it('resolves every relative link and anchor', () => {
    expect(brokenLinks(ROOT, markdownFiles(ROOT))).toEqual([]);
  });
});

describe('the link check', () => {
  it('names a missing file and a missing anchor by file and line, and skips links in code', () => {
    mkdirSync(path.join(scratch, 'docs'), { recursive: true });
    writeFileSync(
      path.join(scratch, 'docs', 'page.md'),
      '# A page\n\n## Server targets (定点観測)\n\nText.\n\n## Server targets (定点観測)\n',
    );
    writeFileSync(
      path.join(scratch, 'README.md'),
      [
        '# Top',
        '',
        '[ok](docs/page.md#server-targets-定点観測) and [second](docs/page.md#server-targets-定点観測-1)',
        '',
        '| a | b |',
        '| - | - |',
        '| [missing](docs/nope.md) | [anchor](docs/page.md#nowhere) |',
        '',
        '`[code](docs/not-a-link.md)`',
        '',
        '```',
        '[fenced](docs/not-a-link-either.md)',
        '```',
        '',
        '[web](https://example.org/x) [here](#top)',
      ].join('\n'),
    );
    expect(brokenLinks(scratch, ['README.md'])).toEqual([
      { file: 'README.md', line: 7, href: 'docs/nope.md', problem: 'docs/nope.md does not exist' },
      {
        file: 'README.md',
        line: 7,
        href: 'docs/page.md#nowhere',
        problem: 'docs/page.md has no heading with anchor #nowhere',
      },
    ]);
  });
});
