import { create } from 'xmlbuilder2';
import { LINK_DEFINITIONS } from '../runner/links.js';
import type { CellResult, NotRunCell, RunResult, Text } from '../runner/results.js';
import { NOT_RUN_REASONS, PLATFORM_LABELS, verdictText } from './i18n.js';
import { formatChain } from './terminal.js';
import type { Reporter } from './types.js';
import { writeReportFile } from './write-report-file.js';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** Test case name: "scenario-id [platform, app]" — stable across runs, so CI can track history. */
export function testcaseName(scenarioId: string, cell: Pick<CellResult, 'platform' | 'app'>): string {
  return `${scenarioId} [${cell.platform}, ${cell.app}]`;
}

/** The failure message names the broken link and its evidence, e.g. "score broke: highest risk 0 < minimum 21". */
function failureMessage(cell: CellResult): string {
  const failed = cell.phones.flatMap((p) => {
    const l = p.links.find((x) => x.status === 'failed');
    return l
      ? [`${p.phone} (${p.platform}, ${p.app}): ${l.held ? l.detail : `${l.name} broke: ${l.detail}`}`]
      : [];
  });
  if (failed.length > 0) return failed.join('; ');
  return cell.errors[0] ?? `cell ${cell.status}`;
}

function failureBody(cell: CellResult): string {
  const lines: string[] = [];
  for (const phone of cell.phones) {
    lines.push(`${phone.phone} (${phone.platform}, ${phone.app}): ${formatChain(phone.links)}`);
    for (const l of phone.links) {
      lines.push(`  ${l.name}: ${l.status} — ${l.detail}`);
      if (l.status === 'failed') lines.push(`    (${l.name} holds when: ${LINK_DEFINITIONS[l.name].en})`);
    }
  }
  lines.push(...cell.errors);
  return lines.join('\n');
}

/**
 * The verdict lines as their own suite, one testcase per platform × app counted per receiving phone:
 * CI shows "Notifications reach iOS (cocoa-1.1.3)" failed beside "… Android …" passed.
 */
function verdictSuite(root: ReturnType<typeof create>, result: RunResult): void {
  const v = result.summary.verdict;
  const suite = root.ele('testsuite', {
    name: 'verdict',
    tests: String(v.length),
    failures: String(v.filter((x) => x.outcome === 'broken').length),
    errors: '0',
    skipped: String(v.filter((x) => x.outcome === 'not-finished').length),
    time: '0.000',
    timestamp: result.metadata.startedAt,
  });
  for (const x of v) {
    const text = verdictText(x.platform, x.app, x.reaches, x.outcome === 'not-finished');
    const tc = suite.ele('testcase', {
      name: `Notifications reach ${PLATFORM_LABELS[x.platform]} (${x.app})`,
      classname: 'verdict',
      time: '0.000',
    });
    const counts = `${x.passed} receiving phone(s) held, ${x.failed} did not`;
    if (x.outcome === 'not-finished') tc.ele('skipped', { message: `${text.en}: the run was interrupted` });
    else if (!x.reaches)
      tc.ele('failure', { message: `${text.en}: ${counts}`, type: 'verdict' }).txt(`${text.ja}\n${counts}`);
    tc.ele('system-out').txt(`${text.en}\n${text.ja}\n${counts}`);
  }
}

/**
 * JUnit XML: one testsuite per scenario, one testcase per matrix cell, then the verdict suite. In an
 * interrupted run the cells that did not run are skipped testcases with the reason, and every suite
 * says the run is not finished.
 */
export function renderJUnit(result: RunResult): string {
  const m = result.metadata;
  const notRun = result.notRun ?? [];
  const notRunOf = (id: string) => notRun.filter((c) => c.scenario === id);
  // Cells that did not run, and the verdict testcases of groups that did not finish.
  const skippedTotal =
    notRun.length + result.summary.verdict.filter((v) => v.outcome === 'not-finished').length;
  // Scenarios none of whose cells ran still get a suite, of skipped testcases.
  const suites: { id: string; file: string; title?: Text; cells: readonly CellResult[] }[] = [
    ...result.scenarios,
    ...[...new Map(notRun.map((c) => [c.scenario, c])).values()]
      .filter((c) => !result.scenarios.some((s) => s.id === c.scenario))
      .map((c) => ({ id: c.scenario, file: c.file, cells: [] })),
  ];
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: 'ichiren',
    tests: String(result.summary.cells + notRun.length + result.summary.verdict.length),
    ...(skippedTotal > 0 ? { skipped: String(skippedTotal) } : {}),
    failures: String(
      result.scenarios.flatMap((s) => s.cells).filter((c) => c.status === 'failed').length +
        result.summary.verdict.filter((v) => v.outcome === 'broken').length,
    ),
    errors: String(
      result.scenarios.flatMap((s) => s.cells).filter((c) => c.status === 'error' || c.status === 'timedout')
        .length,
    ),
    time: seconds(m.durationMs),
    timestamp: m.startedAt,
  });
  for (const scenario of suites) {
    const skipped = notRunOf(scenario.id);
    const failures = scenario.cells.filter((c) => c.status === 'failed').length;
    const errors = scenario.cells.filter((c) => c.status === 'error' || c.status === 'timedout').length;
    const suite = root.ele('testsuite', {
      name: scenario.id,
      tests: String(scenario.cells.length + skipped.length),
      failures: String(failures),
      errors: String(errors),
      skipped: String(skipped.length),
      time: seconds(scenario.cells.reduce((t, c) => t + c.durationMs, 0)),
      timestamp: m.startedAt,
      file: scenario.file,
    });
    const props = suite.ele('properties');
    const prop = (name: string, value: string) => props.ele('property', { name, value });
    prop('seed', String(m.seed));
    prop('release', m.release);
    prop('target', `${m.target.kind}: ${m.target.detail}`);
    if (m.serverBehaviour) prop('serverBehaviour', m.serverBehaviour);
    if (m.browser) prop('browser', m.browser);
    if (scenario.title) prop('title', scenario.title.en);
    if (result.status === 'interrupted')
      prop('verdict', 'not finished (未完了): the run was interrupted; cells that did not run are skipped');
    for (const cell of scenario.cells) {
      const tc = suite.ele('testcase', {
        name: testcaseName(scenario.id, cell),
        classname: scenario.id,
        time: seconds(cell.durationMs),
        file: scenario.file,
      });
      if (cell.status === 'failed') {
        tc.ele('failure', { message: failureMessage(cell), type: cell.firstBrokenLink ?? 'expectation' }).txt(
          failureBody(cell),
        );
      } else if (cell.status === 'error' || cell.status === 'timedout') {
        tc.ele('error', { message: failureMessage(cell), type: cell.status }).txt(failureBody(cell));
      }
      tc.ele('system-out').txt(
        [
          `seed ${cell.seed}`,
          ...cell.phones.map((p) => `${p.phone} (${p.platform}, ${p.app}): ${formatChain(p.links)}`),
        ].join('\n'),
      );
    }
    for (const cell of skipped) skippedCase(suite, scenario.id, cell);
  }
  verdictSuite(root, result);
  return root.end({ prettyPrint: true });
}

function skippedCase(suite: ReturnType<typeof create>, scenarioId: string, cell: NotRunCell): void {
  const reason = NOT_RUN_REASONS[cell.reason];
  suite
    .ele('testcase', {
      name: testcaseName(scenarioId, cell),
      classname: scenarioId,
      time: '0',
      file: cell.file,
    })
    .ele('skipped', { message: `${reason.en} (${reason.ja})` });
}

export function junitReporter(options: { reportDir: string }): Reporter {
  return {
    name: 'junit',
    async onEnd(result) {
      await writeReportFile(options.reportDir, 'junit.xml', renderJUnit(result));
    },
  };
}
