/** The watch workflow is code too: scheduled and dispatchable, history kept even when a run fails. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, string>;
}
const text = readFileSync(new URL('../../.github/workflows/watch.yml', import.meta.url), 'utf8');
const doc = parse(text) as {
  on: { schedule: { cron: string }[]; workflow_dispatch: { inputs: Record<string, unknown> } };
  jobs: Record<string, { steps: Step[]; needs?: string }>;
};

describe('.github/workflows/watch.yml', () => {
  it('runs on a schedule and on demand; every dispatch input it uses is declared', () => {
    expect(doc.on.schedule[0]?.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    const declared = Object.keys(doc.on.workflow_dispatch.inputs);
    const used = [...text.matchAll(/\$\{\{[^}]*\binputs\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((n) => !declared.includes(n as string))).toEqual([]);
  });

  it('observes with ichiren watch, keeps the history whatever the outcome and publishes the page', () => {
    const steps = doc.jobs.observe?.steps ?? [];
    const observe = steps.find((s) => s.id === 'watch');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash array expansion in the workflow
    expect(observe?.run).toContain('node bin/ichiren.js "${args[@]}"');
    expect(observe?.run).toContain('--page site/index.html');
    const save = steps.find((s) => s.uses?.startsWith('actions/cache/save'));
    const restore = steps.find((s) => s.uses?.startsWith('actions/cache/restore'));
    expect(save?.if).toContain('always()');
    expect(save?.with?.path).toBe('.ichiren/history');
    expect(restore?.with?.path).toBe('.ichiren/history');
    expect(steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact'))?.with?.path).toBe('site/');
    expect(doc.jobs.publish?.needs).toBe('observe');
  });
});
