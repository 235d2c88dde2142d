/**
 * The standard test cases as data: what each scenario of the library checks, on which phones, and
 * which planted audit defects it caught. Pure: built from a compiled plan, the audit catalog and,
 * when given, a stored audit result (`reports/audit.json`); never from a guess.
 */
import type { AuditResult } from '../audit/audit.js';
import { detectionPath, type EnPath } from '../devices/phone.js';
import type { DeviceProfile } from '../devices/types.js';
import { CHAIN_LINKS, type ChainLinkName, type Text } from '../runner/results.js';
import type { Plan, PlannedExpectation, PlannedScenario } from '../scenario/plan.js';

export type Platform = 'android' | 'ios';

/** One receiving phone's promise in a case: the links that must hold, and where it must break. */
export interface CaseCheck {
  readonly phone: string;
  readonly platform: Platform;
  readonly osVersion: string;
  readonly app: string;
  readonly enPath: EnPath;
  /** true: must be notified; false: must not be; 'any': recorded only (a sweep point), checks nothing. */
  readonly notified: boolean | 'any';
  /** A rate over trials (statistical cases, e.g. ">= 0.9"): judged over the trials, not per cell. */
  readonly rate?: string;
  readonly mustHold: readonly ChainLinkName[];
  readonly mustBreakAt: readonly ChainLinkName[];
}

/** A sender's promise: what the app must tell the user at each upload. */
export interface SenderCheck {
  readonly phone: string;
  readonly uploads: readonly string[];
}

export interface StandardCase {
  readonly id: string;
  readonly file: string;
  readonly title: Text;
  readonly purpose: Text;
  readonly tags: readonly string[];
  readonly cells: number;
  readonly platforms: readonly Platform[];
  readonly osVersions: readonly string[];
  readonly enPaths: readonly EnPath[];
  readonly apps: readonly string[];
  /** Links some receiving phone of the case checks (holds or must break), in chain order. */
  readonly links: readonly ChainLinkName[];
  /** Links some receiving phone must break at (negative expectations), in chain order. */
  readonly breaks: readonly ChainLinkName[];
  /** Distinct promises, one per phone and expectation (matrix cells that promise the same merge). */
  readonly checks: readonly CaseCheck[];
  readonly senders: readonly SenderCheck[];
  /** Rate and differential expectations over trials (statistical cases). */
  readonly statistics?: {
    readonly trials: number;
    readonly rates: readonly { readonly phone: string; readonly bound: string }[];
    readonly differential?: string;
  };
  /** Ids of audit defects whose run failed a cell of this case; undefined when no audit was given. */
  readonly catches?: readonly string[];
  /** Cells the release's apps cannot run (a `requires` trait missing): the case checks nothing there. */
  readonly notApplicable: readonly string[];
}

/** What the cases document needs of an audit catalog entry (catalog.yaml, read generically). */
export interface DefectEntry {
  readonly id: string;
  readonly class: string;
  readonly where: string;
  readonly expected: string;
  readonly story: string;
  readonly blindSpot?: string;
}

export interface DefectRow extends DefectEntry {
  /** From the audit file: caught, survived, error; undefined when the audit did not play it. */
  readonly status?: 'caught' | 'survived' | 'errors-only' | 'error';
  readonly caughtBy: readonly string[];
  readonly namedLinks: readonly string[];
}

export interface AuditSource {
  readonly file: string;
  readonly release: string;
  readonly seed: number;
  readonly command: string;
  readonly ichirenVersion: string;
  readonly caught: number;
  readonly total: number;
}

export interface CoverageKey {
  readonly platform: Platform;
  readonly enPath: EnPath;
}

export interface CaseBook {
  readonly release: string;
  readonly cases: readonly StandardCase[];
  readonly defects: readonly DefectRow[];
  /** Where the catches come from; undefined: no audit file was given, nothing is claimed. */
  readonly audit?: AuditSource;
  /** Columns of the coverage table: every platform × EN path the plan's phones can take. */
  readonly columns: readonly CoverageKey[];
  /** Cases checking a link on a column: coverage[link][columnIndex] = case ids. */
  readonly coverage: Readonly<Record<ChainLinkName, readonly (readonly string[])[]>>;
}

/** The scenario id of a cell id: "regression-1.1.4-mixed-receivers[android]#1" → its scenario. */
export const scenarioOfCell = (cellId: string): string => cellId.replace(/\[.*$/, '').replace(/#\d+$/, '');

const inChainOrder = (links: Iterable<ChainLinkName>): ChainLinkName[] => {
  const set = new Set(links);
  return CHAIN_LINKS.filter((l) => set.has(l));
};

/** The links an expectation checks: all for a notification; up to the first allowed break otherwise. */
export function linksChecked(e: Pick<PlannedExpectation, 'notified' | 'brokenLinks'>): {
  mustHold: ChainLinkName[];
  mustBreakAt: ChainLinkName[];
} {
  if (e.notified === true) return { mustHold: [...CHAIN_LINKS], mustBreakAt: [] };
  const breaks = inChainOrder(e.brokenLinks ?? []);
  if (e.notified === 'any' || breaks.length === 0) return { mustHold: [], mustBreakAt: [] };
  return { mustHold: CHAIN_LINKS.slice(0, CHAIN_LINKS.indexOf(breaks[0])), mustBreakAt: breaks };
}

const sortVersions = (vs: Iterable<string>) =>
  [...new Set(vs)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

function caseOf(
  s: PlannedScenario,
  enApiOf: (app: string) => 1 | 2,
  notApplicable: readonly string[],
): Omit<StandardCase, 'catches'> {
  const checks = new Map<string, CaseCheck>();
  const senders = new Map<string, SenderCheck>();
  const phones: DeviceProfile[] = [];
  const na = new Set(notApplicable);
  const cells = s.cells.filter((c) => !na.has(c.id));
  for (const cell of cells) {
    phones.push(...cell.phones);
    for (const e of cell.expectations) {
      if (e.upload) {
        senders.set(`${e.phone}:${e.upload.join(',')}`, { phone: e.phone, uploads: e.upload });
        continue;
      }
      const profile = cell.phones.find((p) => p.id === e.phone);
      const enPath = profile ? detectionPath(profile, enApiOf(profile.app)) : 'none';
      const rate = s.statistics?.rates.find((r) => r.phone === e.phone)?.bound;
      // A lower bound on the notified share needs the whole chain to hold on (most) trials.
      const links = rate
        ? { mustHold: /^\s*>/.test(rate) ? [...CHAIN_LINKS] : [], mustBreakAt: [] }
        : linksChecked(e);
      const check: CaseCheck = {
        phone: e.phone,
        platform: e.platform,
        osVersion: e.osVersion,
        app: e.app,
        enPath,
        notified: e.notified,
        ...(rate ? { rate } : {}),
        ...links,
      };
      checks.set(JSON.stringify(check), check);
    }
  }
  const all = [...checks.values()];
  return {
    id: s.id,
    file: s.file,
    title: s.title,
    purpose: s.purpose,
    tags: s.tags,
    cells: cells.length,
    platforms: (['android', 'ios'] as const).filter((p) => phones.some((ph) => ph.platform === p)),
    osVersions: sortVersions(phones.map((p) => `${p.platform === 'ios' ? 'iOS' : 'Android'} ${p.osVersion}`)),
    enPaths: sortVersions(all.map((c) => c.enPath)) as EnPath[],
    apps: sortVersions(phones.map((p) => p.app)),
    links: inChainOrder(all.flatMap((c) => [...c.mustHold, ...c.mustBreakAt])),
    breaks: inChainOrder(all.flatMap((c) => c.mustBreakAt)),
    checks: all,
    senders: [...senders.values()],
    ...(s.statistics
      ? {
          statistics: {
            trials: s.statistics.trials,
            rates: s.statistics.rates,
            ...(s.statistics.differential ? { differential: s.statistics.differential } : {}),
          },
        }
      : {}),
    notApplicable: notApplicable.filter((c) => scenarioOfCell(c) === s.id),
  };
}

export interface CaseBookInput {
  readonly plan: Plan;
  /** The EN API generation each app build uses (AppBuild.enApi). */
  readonly enApiOf: (app: string) => 1 | 2;
  readonly catalog: readonly DefectEntry[];
  /** A stored `ichiren audit` result and the file it came from. */
  readonly audit?: { readonly file: string; readonly result: AuditResult };
  /** Cells the release's apps cannot run (selectApplicable's `notApplicable`): listed, never counted. */
  readonly notApplicable?: readonly string[];
}

export function buildCaseBook(input: CaseBookInput): CaseBook {
  const notApplicable = input.notApplicable ?? [];
  const outcomes = new Map(input.audit?.result.mutants.map((m) => [m.id, m]));
  const caughtBy = new Map<string, Set<string>>();
  for (const m of input.audit?.result.mutants ?? [])
    if (m.status === 'caught') caughtBy.set(m.id, new Set(m.failedCells.map(scenarioOfCell)));

  const cases: StandardCase[] = input.plan.scenarios.map((s) => {
    const base = caseOf(s, input.enApiOf, notApplicable);
    if (!input.audit) return base;
    const catches = [...caughtBy].filter(([, ids]) => ids.has(s.id)).map(([id]) => id);
    return { ...base, catches };
  });

  const defects: DefectRow[] = input.catalog.map((d) => {
    const o = outcomes.get(d.id);
    return {
      id: d.id,
      class: d.class,
      where: d.where,
      expected: d.expected,
      story: d.story,
      ...(d.blindSpot ? { blindSpot: d.blindSpot } : {}),
      ...(o ? { status: o.status } : {}),
      caughtBy: [...(caughtBy.get(d.id) ?? [])].sort(),
      namedLinks: o?.namedLinks ?? [],
    };
  });

  const columns: CoverageKey[] = [];
  for (const platform of ['android', 'ios'] as const)
    for (const enPath of ['v1', 'v2'] as const) columns.push({ platform, enPath });
  const coverage = Object.fromEntries(
    CHAIN_LINKS.map((link) => [
      link,
      columns.map((col) =>
        cases
          .filter((c) =>
            c.checks.some(
              (k) =>
                k.platform === col.platform &&
                k.enPath === col.enPath &&
                (k.mustHold.includes(link) || k.mustBreakAt.includes(link)),
            ),
          )
          .map((c) => c.id),
      ),
    ]),
  ) as Record<ChainLinkName, string[][]>;

  const a = input.audit;
  return {
    release: input.plan.release,
    cases,
    defects,
    ...(a
      ? {
          audit: {
            file: a.file,
            release: a.result.metadata.release,
            seed: a.result.metadata.seed,
            command: a.result.metadata.command,
            ichirenVersion: a.result.metadata.ichirenVersion,
            caught: a.result.score.caught,
            total: a.result.score.total,
          },
        }
      : {}),
    columns,
    coverage,
  };
}
