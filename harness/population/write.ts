/** Writes population.json and population.html, each atomically (temp file in the folder, then rename). */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderPopulationPage } from './html.js';
import type { PopulationResult } from './results.js';
import type { PopulationComparison } from './run.js';

export interface PopulationReport {
  readonly runs: readonly PopulationResult[];
  readonly comparison?: PopulationComparison;
}

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

export async function writePopulationReports(dir: string, report: PopulationReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, 'population.json');
  const html = path.join(dir, 'population.html');
  await writeAtomically(
    json,
    `${JSON.stringify({ schemaVersion: 1, kind: 'population', ...report }, null, 2)}\n`,
  );
  await writeAtomically(html, renderPopulationPage(report));
  return [json, html];
}
