/**
 * The catalog of planted defects (catalog.yaml, or a vendor's own file or module), validated with
 * the file, entry and field named, and each entry resolved to the kind that plays it.
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { importUserModule } from '../environment/user-module.js';
import { CHAIN_LINKS } from '../runner/results.js';
import { KINDS, type PlantClock, type PlantedDefect } from './kinds.js';

export const DEFAULT_CATALOG = fileURLToPath(new URL('./catalog.yaml', import.meta.url));

const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lowercase words joined by "-"'),
  class: z.string().min(1),
  /**
   * Which way the defect errs: `under` loses notifications (the default), `over` shows notifications
   * the user should not get. The score is reported per direction.
   */
  direction: z.enum(['under', 'over']).default('under'),
  where: z.enum(['server', 'app', 'configuration', 'hersys']),
  kind: z.string().refine((k) => k in KINDS, { message: `must be one of: ${Object.keys(KINDS).join(', ')}` }),
  params: z.record(z.string(), z.unknown()).default({}),
  expected: z.enum([...CHAIN_LINKS, 'none']),
  story: z.string().min(1),
  /** Why the library cannot see this defect (the time model, a platform detail): shown if it survives. */
  blindSpot: z.string().min(1).optional(),
});
export type CatalogEntry = z.output<typeof entrySchema>;
export type Direction = CatalogEntry['direction'];

/** A catalog entry with its defect built; vendors' modules may give `plant` directly. */
export interface Mutant extends Omit<CatalogEntry, 'kind' | 'params' | 'direction'> {
  readonly kind?: string;
  /** `under` when left out (vendor modules may omit it). */
  readonly direction?: Direction;
  /** Builds the defect on the run's clock (the stack's), by which it judges "today". */
  readonly plant: (clock: PlantClock) => PlantedDefect;
}

export class CatalogError extends Error {
  readonly code = 'AUDIT_CATALOG_INVALID';
}

export function parseCatalog(text: string, file: string): Mutant[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new CatalogError(`${file}: not YAML: ${e instanceof Error ? e.message : e}`);
  }
  if (!Array.isArray(doc)) throw new CatalogError(`${file}: must be a list of defects`);
  const seen = new Set<string>();
  return doc.map((raw, i) => {
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CatalogError(
        `${file}: entry ${i + 1}: ${issue.path.join('.') || '(entry)'} ${issue.message}`,
      );
    }
    const e = parsed.data;
    if (seen.has(e.id)) throw new CatalogError(`${file}: entry ${i + 1}: id "${e.id}" is used twice`);
    seen.add(e.id);
    const { params, ...rest } = e;
    return { ...rest, plant: (clock: PlantClock) => KINDS[e.kind](params, clock) };
  });
}

/**
 * A YAML catalog, or a module whose default export (or `mutants`) is a list of Mutants — the API for
 * vendors who plant defects in their own app module or server.
 */
export async function loadCatalog(file: string = DEFAULT_CATALOG): Promise<Mutant[]> {
  if (/\.(ts|js|mjs)$/.test(file)) {
    const mod = (await importUserModule(pathToFileURL(path.resolve(file)).href)) as {
      default?: Mutant[];
      mutants?: Mutant[];
    };
    const list = mod.mutants ?? mod.default;
    if (!Array.isArray(list))
      throw new CatalogError(`${file}: exports no list of mutants (default or "mutants")`);
    return list;
  }
  return parseCatalog(await readFile(file, 'utf8'), path.relative(process.cwd(), file) || file);
}
