/**
 * The population workflow (.github/workflows/population.yml) against the CLI it drives: every flag it
 * passes exists, each shard gets its own index of one count, and the final job merges them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const workflow = parse(readFileSync(`${root}.github/workflows/population.yml`, 'utf8')) as {
  jobs: Record<
    string,
    {
      needs?: string | string[];
      strategy?: { matrix: Record<string, string> };
      steps: { run?: string; env?: Record<string, string> }[];
    }
  >;
};
const scripts = (job: string) => workflow.jobs[job].steps.map((s) => s.run ?? '').join('\n');
const flags = (text: string) => [...new Set(text.match(/--[a-z][a-z-]+/g) ?? [])];
/** A GitHub Actions expression as the YAML spells it. */
const gh = (x: string) => `\${{ ${x} }}`;
const help = async (args: string[]) =>
  (await execa('node', ['bin/ichiren.js', ...args, '--help'], { cwd: root })).stdout;

describe('population workflow', () => {
  it('passes only flags the population commands have', async () => {
    const run = await help(['population']);
    for (const f of flags(scripts('shard')).filter((f) => !f.startsWith('--no-'))) expect(run).toContain(f);
    const merge = await help(['population', 'merge']);
    const mergeFlags = flags(scripts('merge')).filter((f) => !f.startsWith('--no-'));
    expect(mergeFlags).toContain('--expect-sensitivity');
    for (const f of mergeFlags) expect(merge).toContain(f);
  }, 60_000);

  it('runs shard index/count from the plan as a matrix, then merges every shard in one job', () => {
    expect(workflow.jobs.shard.strategy?.matrix.index).toBe(gh('fromJSON(needs.plan.outputs.indices)'));
    const env = workflow.jobs.shard.steps.find((s) => s.env?.SHARD)?.env ?? {};
    expect(env.SHARD).toBe(`${gh('matrix.index')}/${gh('needs.plan.outputs.count')}`);
    // One clock for all shards, or their days would not line up.
    expect(env.NOW).toBe(gh('needs.plan.outputs.now'));
    expect(scripts('shard')).toMatch(/--shard "\$SHARD"/);
    expect(workflow.jobs.merge.needs).toEqual(['plan', 'shard']);
    expect(scripts('merge')).toMatch(/population merge shards\/\*\/population\.json/);
  });
});
