import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { sampleAndroidBrokenRun, samplePassingRun, sampleSweepRun } from './fixtures/index.js';
import { SCHEMA_FILE, schemaFileText } from './generate-schema.js';
import { jsonReporter } from './json.js';
import { runResultSchema } from './schema.js';

const committed = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(committed);
const samples = { passing: samplePassingRun, androidBroken: sampleAndroidBrokenRun, sweep: sampleSweepRun };

type Path = readonly (string | number)[];
const DELETE = Symbol('delete');

/** A deep copy with the value at `path` replaced (or deleted), for the negative cases. */
function mutate(path: Path, value: unknown): unknown {
  const copy = structuredClone(sampleAndroidBrokenRun) as unknown;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return copy;
}

describe('results.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (run generate-schema.ts after changing it)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaFileText());
    expect(committed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it.each(Object.entries(samples))('accepts the %s sample run', (_name, run) => {
    expect(validate(run), JSON.stringify(validate.errors)).toBe(true);
    expect(runResultSchema.safeParse(run).success).toBe(true);
  });

  it.each([
    ['a missing summary', ['summary'], DELETE, 'summary'],
    ['an unknown chain link', ['scenarios', 0, 'cells', 0, 'links', 6, 'name'], 'risk', '/name'],
    ['an unknown cell status', ['scenarios', 0, 'cells', 0, 'status'], 'broken', '/status'],
    ['a text without Japanese', ['scenarios', 0, 'title', 'ja'], DELETE, 'ja'],
    ['a schemaVersion of 2', ['schemaVersion'], 2, '/schemaVersion'],
    ['a stray property', ['metadata', 'secret'], 'x', 'additionalProperties'],
    ['a negative duration', ['metadata', 'durationMs'], -1, '/durationMs'],
  ] as const)('rejects a run with %s', (_name, path, value, where) => {
    const bad = mutate(path, value);
    expect(validate(bad)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain(where);
    expect(runResultSchema.safeParse(bad).success).toBe(false);
  });
});

describe('JSON reporter', () => {
  it('writes exactly the RunResult to results.json', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-json-'));
    try {
      await jsonReporter({ reportDir: dir }).onEnd(sampleSweepRun);
      const written = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8'));
      expect(written).toEqual(sampleSweepRun);
      expect(validate(written)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
