/**
 * Reads what the cases document is made from: the scenario library compiled against a release, the
 * audit catalog, and (only when given) a stored `ichiren audit` result.
 */
import { readFile } from 'node:fs/promises';
import type { AuditResult } from '../audit/audit.js';
import { loadCatalog } from '../audit/catalog.js';
import { loadAppBuild } from '../devices/index.js';
import { selectApplicable } from '../runner/applicability.js';
import { compilePlan, loadRelease, loadScenarios } from '../scenario/index.js';
import { buildCaseBook, type CaseBook } from './model.js';

export interface CaseBookOptions {
  readonly paths: readonly string[];
  readonly release: string;
  readonly catalog?: string;
  readonly auditFile?: string;
}

export class AuditFileError extends Error {
  readonly code = 'CASES_AUDIT_FILE_INVALID';
}

async function readAudit(file: string): Promise<AuditResult> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new AuditFileError(`${file}: cannot be read (${e.code ?? e.message}); run \`ichiren audit\` first`);
  });
  let doc: Partial<AuditResult>;
  try {
    doc = JSON.parse(text) as Partial<AuditResult>;
  } catch (e) {
    throw new AuditFileError(`${file}: not JSON (${e instanceof Error ? e.message : e})`);
  }
  if (doc.kind !== 'audit' || !Array.isArray(doc.mutants) || !doc.metadata || !doc.score)
    throw new AuditFileError(`${file}: not an ichiren audit result (kind must be "audit", with mutants)`);
  return doc as AuditResult;
}

export async function loadCaseBook(options: CaseBookOptions): Promise<CaseBook> {
  const release = await loadRelease(options.release);
  const full = compilePlan(await loadScenarios(options.paths), {
    release,
    seed: 1,
    nowEpochSeconds: Math.floor(Date.now() / 1000),
    platforms: ['android', 'ios'],
  });
  const enApi = new Map<string, 1 | 2>();
  const load = async (id: string) => {
    const build = await loadAppBuild(id);
    enApi.set(id, build.enApi);
    return build;
  };
  const { notApplicable } = await selectApplicable(full, load);
  const catalog = await loadCatalog(options.catalog);
  const audit = options.auditFile
    ? { file: options.auditFile, result: await readAudit(options.auditFile) }
    : undefined;
  return buildCaseBook({
    plan: full,
    enApiOf: (app) => enApi.get(app) ?? 2,
    catalog,
    ...(audit ? { audit } : {}),
    notApplicable: notApplicable.map((n) => n.cell),
  });
}
