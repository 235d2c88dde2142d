/**
 * The GitHub workflows and the composite action are code too: parse them and check the wiring that
 * a typo would break (inputs used but not declared, the Node matrix, the reusable workflow's trigger).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}
interface Workflow {
  readonly on: { workflow_call: { inputs: Record<string, unknown>; outputs: Record<string, unknown> } };
  readonly jobs: Record<string, { steps: Step[]; needs?: string; strategy?: { matrix: { node: number[] } } }>;
}
interface Action {
  readonly inputs: Record<string, { required?: boolean }>;
  readonly outputs: Record<string, { value: string }>;
  readonly runs: { using: string; steps: Step[] };
}

const root = new URL('../../', import.meta.url);
function load<T>(p: string): { text: string; doc: T } {
  const text = readFileSync(new URL(p, root), 'utf8');
  return { text, doc: parse(text) as T };
}
const used = (text: string, scope: string) =>
  [...text.matchAll(new RegExp(`\\$\\{\\{[^}]*\\b${scope}\\.([A-Za-z0-9_-]+)`, 'g'))].map((m) => m[1]);

describe('.github', () => {
  it('ci.yml tests on Node 20, 22 and 24 from npm alone, then runs the scenarios and publishes reports and JUnit', () => {
    const { doc } = load<Workflow>('.github/workflows/ci.yml');
    expect(doc.jobs.test.strategy?.matrix.node).toEqual([20, 22, 24]);
    const testRuns = doc.jobs.test.steps.map((s) => s.run ?? s.uses).join('\n');
    // The README's path: everything comes from npm, nothing from apt.
    expect(testRuns).not.toContain('apt-get');
    expect(doc.jobs.e2e.steps.map((s) => s.run ?? '').join('\n')).not.toContain('apt-get');
    expect(testRuns).toContain('npm ci');
    expect(testRuns).toContain('npm test');
    const e2e = doc.jobs.e2e.steps;
    expect(doc.jobs.e2e.needs).toBe('test');
    expect(e2e.some((s) => s.run === 'npm run e2e')).toBe(true);
    expect(e2e.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.with?.path).toBe('reports/');
    expect(e2e.find((s) => s.uses?.startsWith('mikepenz/action-junit-report'))?.with?.report_paths).toBe(
      'reports/junit.xml',
    );
  });

  it('ci.yml audits the library at the default threshold and keeps audit.json and audit.html', () => {
    const { doc } = load<Workflow>('.github/workflows/ci.yml');
    const audit = doc.jobs.audit.steps;
    const runs = audit.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npm ci');
    expect(runs).not.toContain('apt-get');
    const command = /node bin\/ichiren\.js audit ([^|\n]*)/.exec(runs);
    // No --min-score: the job fails below the command's default (0.95), the catalog's threshold.
    expect(command?.[1]).not.toContain('--min-score');
    const dir = /--report-dir (\S+)/.exec(command?.[1] ?? '')?.[1];
    const upload = audit.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.path?.split('\n').filter(Boolean)).toEqual([
      `${dir}/audit.json`,
      `${dir}/audit.html`,
    ]);
  });

  it('vendor-gate.yml is a reusable workflow whose used inputs are all declared', () => {
    const { text, doc } = load<Workflow>('.github/workflows/vendor-gate.yml');
    const call = doc.on.workflow_call;
    const declared = Object.keys(call.inputs);
    for (const name of ['server-image', 'server-url', 'app', 'app-command', 'release', 'platforms'])
      expect(declared).toContain(name);
    expect(used(text, 'inputs').filter((n) => !declared.includes(n))).toEqual([]);
    const step = doc.jobs.gate.steps.find((s) => s.uses === './ichiren/.github/actions/ichiren');
    expect(step).toBeTruthy();
    const action = load<Action>('.github/actions/ichiren/action.yml').doc;
    for (const key of Object.keys(step?.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
    expect(Object.keys(call.outputs)).toEqual(['reaches-android', 'reaches-ios']);
  });

  it('the composite action declares every input and step output it uses', () => {
    const { text, doc } = load<Action>('.github/actions/ichiren/action.yml');
    expect(doc.runs.using).toBe('composite');
    const declared = Object.keys(doc.inputs);
    expect(used(text, 'inputs').filter((n) => !declared.includes(n))).toEqual([]);
    const required = Object.entries(doc.inputs)
      .filter(([, i]) => i.required)
      .map(([n]) => n);
    expect(required).toEqual([]);
    const stepIds = doc.runs.steps.map((s) => s.id).filter(Boolean);
    for (const out of Object.values(doc.outputs)) {
      expect(stepIds).toContain(/steps\.([a-z-]+)\.outputs/.exec(out.value)?.[1]);
    }
    expect(text).toContain('harness/report/ci-verdict.ts reports/results.json');
  });

  it('the composite action passes only options that `ichiren run` has', async () => {
    const { doc } = load<Action>('.github/actions/ichiren/action.yml');
    const script = doc.runs.steps.find((st) => st.run?.includes('node bin/ichiren.js'))?.run ?? '';
    const flags = [...new Set([...script.matchAll(/\(?(--[a-z][a-z-]+)/g)].map((m) => m[1]))];
    expect(flags.length).toBeGreaterThan(3);
    const help = await execa('node', ['bin/ichiren.js', 'run', '--help'], { cwd: fileURLToPath(root) });
    const known = [...help.stdout.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]);
    expect(flags.filter((f) => !known.includes(f))).toEqual([]);
    // A vendor's own app (any language) reaches the run as an app-protocol command.
    expect(flags).toEqual(expect.arrayContaining(['--app-command', '--app-cwd']));
  });
});
