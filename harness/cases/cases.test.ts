/**
 * `ichiren cases` end to end: the CLI writes cases.html and cases.pdf from the real library and
 * catalog; the PDF is read back with unpdf (PDF.js) and the page is checked in Chromium.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../audit/catalog.js';
import { launchChromium } from '../browser/chromium.js';
import { findMissingGlyphs } from '../browser/glyph-coverage.js';
import { loadScenarios } from '../scenario/index.js';
import { loadCaseBook } from './load.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let browser: Browser;
let page: Page;
let pdfPages: string[];
let caughtDefect: string;

/** PDF text runs break lines and spaces wherever the layout did: compare without whitespace and hyphens. */
const squash = (s: string) => s.replace(/[\s\-‐]+/g, '');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-cases-'));
  caughtDefect = (await loadCatalog()).find((m) => m.expected !== 'none')?.id ?? '';
  // A stored audit result (the input ichiren cases reads catches from), for one defect.
  const audit = {
    schemaVersion: 1,
    kind: 'audit',
    metadata: {
      release: 'latest',
      seed: 1,
      command: 'ichiren audit --only x',
      ichirenVersion: '0.1.0',
      cells: 1,
    },
    baseline: { passed: 1, failed: 0, failedCells: [] },
    mutants: [
      {
        id: caughtDefect,
        class: 'c',
        where: 'server',
        story: 's',
        expected: 'publish',
        status: 'caught',
        namedLinks: ['publish'],
        failedCells: ['number-wrong[android]'],
        namedExpected: true,
        closest: [],
        durationMs: 1,
      },
    ],
    score: { caught: 1, total: 1, rate: 1 },
    controlSurvived: true,
  };
  await writeFile(path.join(dir, 'audit.json'), JSON.stringify(audit));
  const run = await execa(
    'node',
    ['bin/ichiren.js', 'cases', '--report-dir', dir, '--audit', path.join(dir, 'audit.json')],
    { cwd: ROOT, reject: false },
  );
  if (run.exitCode !== 0) throw new Error(`ichiren cases exited ${run.exitCode}: ${run.stderr}`);
  const pdf = await getDocumentProxy(new Uint8Array(await readFile(path.join(dir, 'cases.pdf'))));
  pdfPages = (await extractText(pdf, { mergePages: false })).text;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  await page.goto(pathToFileURL(path.join(dir, 'cases.html')).href);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ichiren cases', () => {
  it('prints a PDF whose first page reads in Japanese first, English beside', () => {
    const first = squash(pdfPages[0] ?? '');
    expect(first).toContain(squash('標準テストケース一覧'));
    expect(first).toContain(squash('網羅表'));
    expect(first).toContain('Standardtestcases');
    expect(first.indexOf(squash('標準テストケース一覧'))).toBeLessThan(first.indexOf('Standardtestcases'));
  });

  it('lists every scenario of the library in the PDF', async () => {
    const all = squash(pdfPages.join('\n'));
    const missing = (await loadScenarios([path.join(ROOT, 'scenarios')]))
      .map((s) => s.id)
      .filter((id) => !all.includes(squash(id)));
    expect(missing).toEqual([]);
  });

  it('shows each case with the links its expectations check, as the case data says', async () => {
    const book = await loadCaseBook({ paths: [path.join(ROOT, 'scenarios')], release: 'latest' });
    const shown = await page.locator('article.case').evaluateAll((els) =>
      els.map((e) => ({
        id: e.getAttribute('data-case'),
        checked: [...e.querySelectorAll('.chip:not(.none)')].map((c) => c.getAttribute('data-link')),
        breaks: [...e.querySelectorAll('.chip.break')].map((c) => c.getAttribute('data-link')),
      })),
    );
    expect(shown).toEqual(book.cases.map((c) => ({ id: c.id, checked: c.links, breaks: c.breaks })));
    expect(shown.filter((s) => s.checked.length > 0).length).toBeGreaterThan(shown.length * 0.9);
  });

  it('credits the audit defect to the case whose cell it failed, and to no other', async () => {
    const catches = await page
      .locator('article.case')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-case'), e.querySelector('.catches')?.textContent ?? '']),
      );
    const crediting = catches.filter(([, text]) => text?.includes(caughtDefect)).map(([id]) => id);
    expect(crediting).toEqual(['number-wrong']);
    expect(squash(pdfPages.join('\n'))).toContain(squash(caughtDefect));
  });

  it('groups the catalog by defect class, every defect listed', async () => {
    const catalog = await loadCatalog();
    const listed = await page
      .locator('section.by-class tr[data-defect]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-defect')));
    expect([...listed].sort()).toEqual(catalog.map((m) => m.id).sort());
    expect(await page.locator('section.by-class').count()).toBe(new Set(catalog.map((m) => m.class)).size);
  });

  it('draws every character with a font the page embeds (no missing glyphs)', {
    timeout: 180_000,
  }, async () => {
    expect(await findMissingGlyphs(page)).toEqual([]);
  });
});

describe('the coverage table', () => {
  it('shows a link × platform × EN path that no case checks in red', { timeout: 120_000 }, async () => {
    // cocoa-1.1.4 is an EN v1 app: no phone takes the v2 path, so every v2 column is a gap.
    const out = path.join(dir, 'v1');
    const run = await execa(
      'node',
      ['bin/ichiren.js', 'cases', '--release', 'cocoa-1.1.4', '--no-pdf', '--report-dir', out],
      {
        cwd: ROOT,
        reject: false,
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const p = await browser.newPage();
    try {
      await p.goto(pathToFileURL(path.join(out, 'cases.html')).href);
      const cells = await p.locator('table.coverage td').evaluateAll((tds) =>
        tds.map((td) => ({
          en: td.getAttribute('data-en'),
          gap: td.classList.contains('gap'),
          color: getComputedStyle(td).color,
        })),
      );
      expect(cells.filter((c) => c.en === 'v2').every((c) => c.gap)).toBe(true);
      expect(cells.filter((c) => c.en === 'v1').some((c) => c.gap)).toBe(false);
      const red = cells.find((c) => c.gap)?.color;
      const green = cells.find((c) => !c.gap)?.color;
      expect(red).toBe('rgb(207, 34, 46)');
      expect(green).not.toBe(red);
    } finally {
      await p.close();
    }
  });
});

describe('ichiren cases with a bad audit file', () => {
  it('exits 2 naming the file, and writes nothing', async () => {
    const out = path.join(dir, 'bad');
    await writeFile(path.join(dir, 'not-audit.json'), JSON.stringify({ kind: 'run' }));
    for (const [file, says] of [
      [path.join(dir, 'missing.json'), 'cannot be read'],
      [path.join(dir, 'not-audit.json'), 'not an ichiren audit result'],
    ]) {
      const run = await execa('node', ['bin/ichiren.js', 'cases', '--audit', file, '--report-dir', out], {
        cwd: ROOT,
        reject: false,
      });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(file);
      expect(run.stderr).toContain(says);
    }
    expect(existsSync(out)).toBe(false);
  });
});
