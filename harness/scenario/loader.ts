/**
 * Loads scenario files: YAML (several documents per file allowed, `---`), validated with zod, every
 * error located at file:line:column through the YAML CST (LineCounter) and naming what was expected.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Document, isMap, isPair, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { ScenarioError, ScenarioErrors } from './errors.js';
import { readScenarioFile } from './limits.js';
import { expandMatrix, type Matrix, type MatrixCell, substitute, type UnresolvedVariable } from './matrix.js';
import { type ScenarioDoc, scenarioSchema } from './schema.js';
import { semanticIssues } from './semantic-checks.js';

export interface LoadedCell {
  readonly matrix: MatrixCell;
  readonly doc: ScenarioDoc;
}

export interface LoadedScenario {
  /** Path as given (relative to the working directory when found under a folder). */
  readonly file: string;
  readonly line: number;
  readonly id: string;
  readonly title: ScenarioDoc['title'];
  readonly purpose: ScenarioDoc['purpose'];
  readonly tags: readonly string[];
  readonly requires: readonly string[];
  readonly axes: readonly string[];
  readonly cells: readonly LoadedCell[];
}

type Path = readonly (string | number)[];

/** Locates `p` in the document: the node itself, else its nearest existing ancestor. */
function locate(doc: Document, lc: LineCounter, p: Path, key?: string): { line: number; col: number } {
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      if (key !== undefined && n === p.length && isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === key);
        const k = pair?.key as { range?: [number, number, number] } | undefined;
        if (k?.range) return lc.linePos(k.range[0]);
      }
      return lc.linePos(node.range[0]);
    }
  }
  return { line: 1, col: 1 };
}

function fieldPath(p: Path): string {
  let s = '';
  for (const seg of p) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? String(seg) : `.${seg}`;
  return s === '' ? 'scenario' : s;
}

function issueErrors(
  file: string,
  doc: Document,
  lc: LineCounter,
  issues: readonly z.core.$ZodIssue[],
): ScenarioError[] {
  return issues.map((issue) => {
    const p = issue.path as (string | number)[];
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] as string;
      const pos = locate(doc, lc, p, key);
      return new ScenarioError(
        file,
        pos.line,
        pos.col,
        `${fieldPath([...p, key])} is not a known field (${issue.message.replace(/^Unrecognized keys?: /, 'unrecognized: ')})`,
      );
    }
    const pos = locate(doc, lc, p);
    return new ScenarioError(file, pos.line, pos.col, `${fieldPath(p)} ${issue.message}`);
  });
}

function dedupe(errors: ScenarioError[]): ScenarioError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (seen.has(e.message)) return false;
    seen.add(e.message);
    return true;
  });
}

/** Parses and validates the scenarios of one file's text. Throws ScenarioErrors. */
export function parseScenarios(file: string, source: string): LoadedScenario[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(source, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs)) return [];
  const out: LoadedScenario[] = [];
  const errors: ScenarioError[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lc.linePos(e.pos[0]);
        errors.push(new ScenarioError(file, pos.line, pos.col, `invalid YAML: ${e.message.split('\n')[0]}`));
      }
      continue;
    }
    const raw = doc.toJS() as unknown;
    if (raw === null || raw === undefined) continue;
    const docLine = doc.contents?.range ? lc.linePos(doc.contents.range[0]).line : 1;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push(
        new ScenarioError(
          file,
          docLine,
          1,
          'scenario must be a mapping: {id, title, purpose, phones, timeline, expect}',
        ),
      );
      continue;
    }
    const { matrix: rawMatrix, ...body } = raw as Record<string, unknown>;
    // Validate the matrix alone first: cells cannot be built from a bad one.
    const matrixCheck = scenarioSchema.safeParse({ ...emptyScenario, matrix: rawMatrix });
    const matrixIssues = matrixCheck.success
      ? []
      : matrixCheck.error.issues.filter((i) => i.path[0] === 'matrix');
    if (matrixIssues.length > 0) {
      errors.push(...issueErrors(file, doc, lc, matrixIssues));
      continue;
    }
    const matrix = (rawMatrix ?? {}) as Matrix;
    const cells: LoadedCell[] = [];
    const docErrors: ScenarioError[] = [];
    for (const cell of expandMatrix(matrix)) {
      const unresolved: UnresolvedVariable[] = [];
      const substituted = substitute(body, cell.vars, unresolved);
      for (const u of unresolved) {
        const pos = locate(doc, lc, u.path);
        const known = Object.keys(cell.vars);
        docErrors.push(
          new ScenarioError(
            file,
            pos.line,
            pos.col,
            `${fieldPath(u.path)} uses \${${u.name}}, which must be a matrix variable (${known.length ? known.join(', ') : 'none defined'})`,
          ),
        );
      }
      const parsed = scenarioSchema.safeParse({ ...(substituted as object), matrix: rawMatrix });
      if (!parsed.success) {
        docErrors.push(...issueErrors(file, doc, lc, parsed.error.issues));
        continue;
      }
      docErrors.push(...issueErrors(file, doc, lc, semanticIssues(parsed.data)));
      cells.push({ matrix: cell, doc: parsed.data });
    }
    if (docErrors.length > 0) {
      errors.push(...docErrors);
      continue;
    }
    const first = cells[0]?.doc;
    if (!first) continue;
    out.push({
      file,
      line: docLine,
      id: first.id,
      title: first.title,
      purpose: first.purpose,
      tags: first.tags,
      requires: first.requires,
      axes: [...new Set(expandMatrix(matrix).flatMap((c) => Object.keys(c.labels)))],
      cells,
    });
  }
  const ids = new Map<string, LoadedScenario>();
  for (const s of out) {
    const prev = ids.get(s.id);
    if (prev)
      errors.push(
        new ScenarioError(file, s.line, 1, `id "${s.id}" must be unique (also at line ${prev.line})`),
      );
    ids.set(s.id, s);
  }
  if (errors.length > 0) throw new ScenarioErrors(dedupe(errors));
  return out;
}

const emptyScenario = {
  id: 'x',
  title: { ja: 'x', en: 'x' },
  purpose: { ja: 'x', en: 'x' },
  phones: { a: {} },
  timeline: [{ publish: null }],
  expect: { a: { notified: false } },
};

async function yamlFiles(target: string): Promise<string[]> {
  const st = await stat(target).catch(() => null);
  if (!st)
    throw new ScenarioErrors([new ScenarioError(target, 1, 1, 'path must be an existing file or folder')]);
  if (st.isFile()) return [target];
  const entries = await readdir(target, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((x, y) => x.name.localeCompare(y.name))) {
    const p = path.join(target, e.name);
    if (e.isDirectory()) files.push(...(await yamlFiles(p)));
    else if (/\.ya?ml$/.test(e.name)) files.push(p);
  }
  return files;
}

export interface LoadOptions {
  /**
   * Parse only the files whose text contains this string (`ichiren watch` passes its tag): a file that
   * does not mention a tag cannot carry it, and skipping the rest of the library saves half a second.
   */
  readonly mentioning?: string;
}

/** Loads every scenario under the given files/folders; all errors of all files at once. Ids must be unique across files. */
export async function loadScenarios(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<LoadedScenario[]> {
  const errors: ScenarioError[] = [];
  const all: LoadedScenario[] = [];
  for (const target of paths) {
    let files: string[];
    try {
      files = await yamlFiles(target);
    } catch (e) {
      if (e instanceof ScenarioErrors) errors.push(...e.errors);
      else throw e;
      continue;
    }
    for (const file of files) {
      try {
        const text = await readScenarioFile(file);
        if (options.mentioning && !text.includes(options.mentioning)) continue;
        all.push(...parseScenarios(file, text));
      } catch (e) {
        if (e instanceof ScenarioErrors) errors.push(...e.errors);
        else throw e;
      }
    }
  }
  const byId = new Map<string, LoadedScenario>();
  for (const s of all) {
    const prev = byId.get(s.id);
    if (prev && prev.file !== s.file) {
      errors.push(
        new ScenarioError(
          s.file,
          s.line,
          1,
          `id "${s.id}" must be unique (also in ${prev.file}:${prev.line})`,
        ),
      );
    }
    byId.set(s.id, s);
  }
  if (errors.length > 0) throw new ScenarioErrors(errors);
  return all;
}
