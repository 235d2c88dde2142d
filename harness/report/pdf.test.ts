/**
 * The PDF is the HTML report printed by Chromium. Its text is read back with unpdf (PDF.js, from
 * npm), so the check is on what a reader gets, on any machine.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAndroidBrokenRun } from './fixtures/index.js';
import { pdfReporter, renderPdf } from './pdf.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-pdf-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The text of one page (1-based) or of all pages. */
async function pdfText(file: string, page?: number): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(await readFile(file)));
  const { text } = await extractText(pdf, { mergePages: false });
  return page ? (text[page - 1] ?? '') : text.join('\n');
}

/**
 * A PDF's text runs break lines and spaces wherever the layout did: compare without whitespace and
 * hyphens.
 */
const squash = (s: string) => s.replace(/[\s-]+/g, '');

describe('PDF reporter', () => {
  it('writes report.pdf whose first page states the verdict in Japanese', async () => {
    await pdfReporter({ reportDir: dir }).onEnd(sampleAndroidBrokenRun);
    const file = path.join(dir, 'report.pdf');
    expect((await readFile(file)).subarray(0, 5).toString()).toBe('%PDF-');
    const page1 = squash(await pdfText(file, 1));
    expect(page1).toContain(squash('通知がAndroidに届く ✘（cocoa-1.1.4）'));
    expect(page1).toContain(squash('通知がiOSに届く ✔（cocoa-1.1.4）'));
    expect(page1).not.toContain('Notificationsreach');
  });

  it('draws every glyph with the fonts embedded from npm, none of the machine', async () => {
    const raw = (await readFile(path.join(dir, 'report.pdf'))).toString('latin1');
    const fonts = new Set([...raw.matchAll(/\/FontName\s*\/[A-Z]{6}\+([^\s/]+)/g)].map((m) => m[1]));
    expect([...fonts].some((f) => f.startsWith('NotoSansJP'))).toBe(true);
    expect([...fonts].filter((f) => !/^NotoSans(JP|Mono|Symbols2)/.test(f))).toEqual([]);
  });

  it('prints every scenario opened, with the broken link’s evidence', async () => {
    const file = path.join(dir, 'report.pdf');
    const all = squash(await pdfText(file));
    expect(all).toContain(squash('最大リスク 0 < 閾値 21'));
    expect(all).toContain(squash('誤った処理番号では登録できない'));
    expect(all).toContain(squash('--server-behaviour 2020-09-28'));
  });

  it('prints in English on request', async () => {
    const file = path.join(dir, 'report-en.pdf');
    await writeFile(file, await renderPdf(sampleAndroidBrokenRun, { lang: 'en' }));
    const page1 = squash(await pdfText(file, 1));
    expect(page1).toContain(squash('Notifications reach Android ✘ (cocoa-1.1.4)'));
  });
});
