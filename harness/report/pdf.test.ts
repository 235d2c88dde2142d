/**
 * The PDF is the HTML report printed by Chromium. Its text is read back with pdftotext (Debian
 * poppler-utils, installed by .ci/run and the workflows), so the check is on what a reader gets.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

function pdfText(file: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  try {
    return execFileSync('pdftotext', [...range, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`pdftotext failed (Debian package poppler-utils): ${(error as Error).message}`);
  }
}

/**
 * pdftotext breaks lines, spaces and joins hyphenated line ends its own way: compare without
 * whitespace and hyphens.
 */
const squash = (s: string) => s.replace(/[\s-]+/g, '');

describe('PDF reporter', () => {
  it('writes report.pdf whose first page states the verdict in Japanese', async () => {
    await pdfReporter({ reportDir: dir }).onEnd(sampleAndroidBrokenRun);
    const file = path.join(dir, 'report.pdf');
    expect((await readFile(file)).subarray(0, 5).toString()).toBe('%PDF-');
    const page1 = squash(pdfText(file, 1));
    expect(page1).toContain(squash('通知がAndroidに届く ✘（cocoa-1.1.4）'));
    expect(page1).toContain(squash('通知がiOSに届く ✔（cocoa-1.1.4）'));
    expect(page1).not.toContain('Notificationsreach');
  });

  it('prints every scenario opened, with the broken link’s evidence', async () => {
    const file = path.join(dir, 'report.pdf');
    const all = squash(pdfText(file));
    expect(all).toContain(squash('最大リスク 0 < 閾値 21'));
    expect(all).toContain(squash('誤った処理番号では登録できない'));
    expect(all).toContain(squash('--release cocoa-1.1.4 --seed 20210218'));
  });

  it('prints in English on request', async () => {
    const file = path.join(dir, 'report-en.pdf');
    await writeFile(file, await renderPdf(sampleAndroidBrokenRun, { lang: 'en' }));
    const page1 = squash(pdfText(file, 1));
    expect(page1).toContain(squash('Notifications reach Android ✘ (cocoa-1.1.4)'));
  });
});
