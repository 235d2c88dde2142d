/** Writes audit.json and audit.html, each atomically (temp file in the folder, then rename). */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditResult } from './audit.js';
import { renderAuditPage } from './html.js';

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

export async function writeAuditReports(dir: string, result: AuditResult): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, 'audit.json');
  const html = path.join(dir, 'audit.html');
  await writeAtomically(json, `${JSON.stringify(result, null, 2)}\n`);
  await writeAtomically(html, renderAuditPage(result));
  return [json, html];
}
