/**
 * GitHub Actions outputs and job summary from a run:
 * `node --import tsx harness/report/ci-verdict.ts reports/results.json` appends `reaches-android=…`,
 * `reaches-ios=…` to $GITHUB_OUTPUT and a Markdown verdict to $GITHUB_STEP_SUMMARY (or prints both).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../runner/results.js';

export interface CiVerdict {
  /** "key=value" lines for $GITHUB_OUTPUT. */
  readonly outputs: string;
  /** Markdown for $GITHUB_STEP_SUMMARY. */
  readonly summary: string;
}

export function ciVerdict(result: RunResult): CiVerdict {
  const outputs: string[] = [];
  const lines = [`### ichiren ${result.metadata.release}: ${result.status}`, ''];
  for (const platform of ['android', 'ios'] as const) {
    const mine = result.summary.verdict.filter((v) => v.platform === platform);
    outputs.push(`reaches-${platform}=${mine.length > 0 && mine.every((v) => v.reaches)}`);
    for (const v of mine) {
      lines.push(
        `- ${v.reaches ? '✔' : '✘'} notifications reach ${platform} (${v.app}): ${v.passed} receiving phone(s) held, ${v.failed} did not`,
      );
    }
  }
  for (const s of result.scenarios) {
    for (const c of s.cells.filter((x) => x.status !== 'passed')) {
      const failed = c.phones.flatMap((p) => {
        const l = p.links.find((x) => x.status === 'failed');
        return l ? [`${p.phone} (${p.platform}) ${l.held ? l.detail : `${l.name} broke: ${l.detail}`}`] : [];
      });
      lines.push(`  - ✘ \`${c.id}\`: ${failed.length > 0 ? failed.join('; ') : c.status}`);
    }
  }
  return { outputs: `${outputs.join('\n')}\n`, summary: `${lines.join('\n')}\n` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2] ?? 'reports/results.json';
  let result: RunResult;
  try {
    result = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`ichiren: cannot read ${file}: ${(error as Error).message}`);
    process.exit(1);
  }
  const { outputs, summary } = ciVerdict(result);
  const out = process.env.GITHUB_OUTPUT;
  const sum = process.env.GITHUB_STEP_SUMMARY;
  if (out) appendFileSync(out, outputs);
  else process.stdout.write(outputs);
  if (sum) appendFileSync(sum, summary);
  else process.stdout.write(summary);
}
