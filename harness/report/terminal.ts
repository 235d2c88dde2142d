import { LINK_DEFINITIONS } from '../runner/links.js';
import type { CellResult, LinkResult, RunResult, ScenarioResult } from '../runner/results.js';
import { NOT_RUN_REASONS, verdictText } from './i18n.js';
import { formatRateLines } from './rates.js';
import { linkToken, phonesOutcome, platformCount } from './receivers.js';
import type { Reporter, ScenarioHeader } from './types.js';

const PLATFORMS = ['android', 'ios'] as const;

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One line per finished cell: mark, id, platform, app, first broken link, duration. */
export function formatCellLine(cell: CellResult): string {
  const mark = cell.status === 'passed' ? '✔' : '✘';
  const broken = cell.firstBrokenLink
    ? `  broken at ${cell.firstBrokenLink}`
    : cell.status !== 'passed'
      ? `  ${cell.status}`
      : '';
  const who = cell.phones.length > 1 ? `  [${phonesOutcome(cell)}]` : '';
  return `${mark} ${cell.id}  ${cell.platform}  ${cell.app}${broken}${who}  (${formatDuration(cell.durationMs)})`;
}

/** The chain in one line: "contact ✔ → … → score ✘ → notify –". */
export function formatChain(links: readonly LinkResult[]): string {
  return links.map(linkToken).join(' → ');
}

/** Receiving phones of this platform that held their expectation, over the scenario's cells. */
function platformColumn(scenario: ScenarioResult, platform: 'android' | 'ios'): string {
  const c = platformCount(scenario, platform);
  if (c.total === 0) return '·';
  if (c.held) return `✔ ${c.passed}/${c.total}`;
  return `✘ ${c.passed}/${c.total} ${c.why ?? ''}`;
}

/** The summary table: one row per scenario, one column per platform (counted per receiving phone). */
export function formatSummaryTable(result: RunResult): string {
  const header = ['scenario', 'android', 'ios'];
  const rows = result.scenarios.map((s) => [s.id, ...PLATFORMS.map((p) => platformColumn(s, p))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cols: string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Everything printed after the run: failures with their chain, the table, the verdict lines. */
export function formatSummary(result: RunResult): string {
  const out: string[] = [];
  const failed = result.scenarios.flatMap((s) => s.cells.filter((c) => c.status !== 'passed'));
  if (failed.length > 0) {
    out.push('Failures:');
    for (const cell of failed) {
      out.push(`  ✘ ${cell.id}`);
      for (const phone of cell.phones) {
        out.push(`    ${phone.phone} (${phone.platform}, ${phone.app}): ${formatChain(phone.links)}`);
        const broken = phone.links.find((l) => l.status === 'failed');
        if (broken)
          out.push(
            `      ${broken.name}: ${broken.detail}`,
            `        (${broken.name} holds when: ${LINK_DEFINITIONS[broken.name].en})`,
          );
      }
      for (const e of cell.errors) out.push(`      ${e}`);
    }
    out.push('');
  }
  out.push(...formatRateLines(result));
  out.push(formatSummaryTable(result), '');
  const s = result.summary;
  out.push(
    `${s.scenarios} scenarios, ${s.cells} cells: ${s.passed} passed, ${s.failed} failed (${formatDuration(result.metadata.durationMs)}, seed ${result.metadata.seed})`,
  );
  for (const v of s.verdict) {
    const t = verdictText(v.platform, v.app, v.reaches, v.outcome === 'not-finished');
    out.push(`${t.en}  —  ${t.ja}`);
  }
  const na = result.metadata.notApplicable ?? [];
  if (na.length > 0)
    out.push(
      `${na.length} cell(s) not applicable (${na.some((n) => n.app === 'server') ? 'the server or app lacks' : 'app lacks'} ${[...new Set(na.flatMap((n) => n.missing))].join(', ')}): ${na.map((n) => n.cell).join(', ')}`,
    );
  const notRun = result.notRun ?? [];
  if (notRun.length > 0) {
    const ids = notRun.map((c) => c.id);
    out.push(
      `${notRun.length} cell(s) ${NOT_RUN_REASONS['not-started'].en.replace(' before this cell started', '')}: ${ids.slice(0, 6).join(', ')}${ids.length > 6 ? ', …' : ''}`,
    );
  }
  const clock = result.metadata.clock;
  if (clock?.source === 'deployed-server')
    out.push(
      `clock: the deployed server's (Date header ${clock.now}); the phones and HER-SYS ran on it  —  時刻: 配備済みサーバーの時刻（Date ヘッダー）に端末と HER-SYS を合わせた`,
    );
  if (result.metadata.browser) out.push(`browser: ${result.metadata.browser}`);
  out.push(`run status: ${result.status}`);
  return `${out.join('\n')}\n`;
}

export function terminalReporter(options: { stream?: NodeJS.WritableStream }): Reporter {
  const stream = options.stream ?? process.stdout;
  return {
    name: 'terminal',
    printsOnly: true,
    onBegin(meta) {
      stream.write(`ichiren: ${meta.scenarios} scenarios, ${meta.cells} cells\n`);
    },
    onCellEnd(_scenario: ScenarioHeader, cell: CellResult) {
      stream.write(`${formatCellLine(cell)}\n`);
    },
    onEnd(result) {
      stream.write(`\n${formatSummary(result)}`);
    },
  };
}
