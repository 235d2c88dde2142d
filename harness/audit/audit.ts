/**
 * `ichiren audit`: the scenario library run once clean (the baseline must pass) and once per planted
 * defect, on one running stack. A defect is caught when a cell FAILED (an expectation not met); cells
 * that only errored or timed out prove nothing about the defect and are reported apart. The report
 * names the links the failing cells broke at beside the link the catalog expects, scores caught and
 * caught-at-the-expected-link per direction (lost notifications, over-notification), and for a
 * survivor names the cells whose evidence moved the most (the scenarios that came closest).
 */
import type { AppBuild } from '../devices/apps/types.js';
import type { ExportSigner } from '../protocol/index.js';
import type { RunnerDeps } from '../runner/deps.js';
import type { CellResult, RunMetadata, RunResult } from '../runner/results.js';
import type { Plan } from '../scenario/plan.js';
import type { StartedStack } from '../stack/types.js';
import type { Direction, Mutant } from './catalog.js';
import { startMutatingProxy } from './proxy.js';

export interface AuditDeps {
  /**
   * A fresh system under test for one run: the same seed plants the same keys, and a key server
   * exports a key once, so a second run on a used server would find its keys published already.
   */
  startStack(): Promise<StartedStack>;
  /** RunnerDeps for a stack, with each phone's app builds passed through `decorate`. */
  deps(stack: StartedStack, decorate: (build: AppBuild) => AppBuild): Promise<RunnerDeps>;
  runPlan(plan: Plan, deps: RunnerDeps): Promise<RunResult>;
}

export interface MutantOutcome {
  readonly id: string;
  readonly class: string;
  readonly where: string;
  readonly story: string;
  readonly expected: string;
  /** under: the defect loses notifications; over: it shows notifications it should not. */
  readonly direction?: Direction;
  /** The catalog's reason why the library cannot see it, if it has one. */
  readonly blindSpot?: string;
  /**
   * caught: a cell failed; survived: every cell passed; errors-only: no cell failed but some errored
   * or timed out (not a catch: the library did not diagnose it); error: the defect could not be played.
   */
  readonly status: 'caught' | 'survived' | 'errors-only' | 'error';
  /** Links the failing cells broke at, most frequent first. */
  readonly namedLinks: readonly string[];
  readonly failedCells: readonly string[];
  /** Cells that errored or timed out under the defect, reported apart from the failures. */
  readonly erroredCells?: readonly string[];
  /** The first failing cell's broken link and its evidence line, as the run report would show it. */
  readonly example?: { readonly cell: string; readonly link: string; readonly detail: string };
  /** A caught defect named (among others) the expected link. */
  readonly namedExpected: boolean;
  /** Survivors: cells whose link evidence changed most against the baseline. */
  readonly closest: readonly { readonly cell: string; readonly changedLinks: readonly string[] }[];
  readonly error?: string;
  readonly durationMs: number;
}

export interface AuditResult {
  readonly schemaVersion: 1;
  readonly kind: 'audit';
  readonly metadata: Omit<RunMetadata, 'startedAt' | 'finishedAt' | 'durationMs'> & {
    readonly cells: number;
    readonly durationMs: number;
  };
  readonly baseline: {
    readonly passed: number;
    readonly failed: number;
    readonly failedCells: readonly string[];
    /** The first failing cell's broken link and its evidence line, as the run report would show it. */
    readonly example?: { readonly cell: string; readonly link: string; readonly detail: string };
  };
  readonly mutants: readonly MutantOutcome[];
  /** Over the defects (the control excluded): caught / all, and caught at the expected link. */
  readonly score: AuditScore;
  /** The same per direction: defects that lose notifications, defects that over-notify. */
  readonly byDirection?: Readonly<Record<Direction, AuditScore>>;
  /** The control (expected: none) survived, as it must. */
  readonly controlSurvived: boolean;
}

export interface AuditScore {
  readonly caught: number;
  readonly total: number;
  readonly rate: number;
  /** Caught, and a failing cell named the link the catalog expects. */
  readonly atExpected?: number;
  readonly atExpectedRate?: number;
}

/** The shares CI requires (the CLI's defaults): caught, and caught at the expected link. */
export const REQUIRED = { caught: 0.95, atExpected: 0.9 } as const;

/** A cell that did not pass, for the baseline (such a cell cannot catch anything). */
const failed = (c: CellResult) => c.status !== 'passed';
/** A catch: an expectation not met. An error or a time-out is not a diagnosis of the defect. */
const caughtBy = (c: CellResult) => c.status === 'failed';
const erroredIn = (c: CellResult) => c.status === 'error' || c.status === 'timedout';

/**
 * Links whose evidence says what the defect did to this cell's own contact. Publish and download
 * lines also count what earlier runs left on the shared server (list sizes, batch numbers), so they
 * would move in every run; key hashes and file names are masked for the same reason.
 */
const COMPARED_LINKS = new Set(['contact', 'diagnosis', 'upload', 'match', 'score', 'notify']);
const volatile = (detail: string) =>
  detail.replace(/\b[0-9a-f]{6,}\b/g, '…').replace(/\b\d+\.zip\b/g, '….zip');

/** Each compared link's evidence line per cell, to see which cells a defect moved. */
function evidence(result: RunResult): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const s of result.scenarios)
    for (const c of s.cells)
      out.set(
        c.id,
        new Map(
          c.links
            .filter((l) => COMPARED_LINKS.has(l.name))
            .map((l) => [l.name, `${l.status} ${volatile(l.detail)}`]),
        ),
      );
  return out;
}

export async function runAudit(o: {
  readonly plan: Plan;
  readonly mutants: readonly Mutant[];
  readonly signer: ExportSigner;
  readonly audit: AuditDeps;
  readonly metadata: Omit<RunMetadata, 'startedAt' | 'finishedAt' | 'durationMs'>;
  readonly onMutant?: (m: MutantOutcome) => void;
  readonly signal?: AbortSignal;
}): Promise<AuditResult> {
  const t0 = Date.now();
  const same = (b: AppBuild) => b;
  // The baseline runs on the same shared server as every defect, so a cell is judged alike in both.
  const base = await withStack(o.audit, async (stack) =>
    o.audit.runPlan(o.plan, await o.audit.deps(sharedServer(stack), same)),
  );
  const baseCells = base.scenarios.flatMap((s) => s.cells);
  const baseEvidence = evidence(base);
  const outcomes: MutantOutcome[] = [];
  // Cells that fail without any defect cannot catch one: they are reported and left out.
  const unusable = new Set(baseCells.filter(failed).map((c) => c.id));
  if (unusable.size < baseCells.length) {
    for (const m of o.mutants) {
      if (o.signal?.aborted) break;
      const started = Date.now();
      const outcome = await playMutant(m, o, baseEvidence, unusable).catch(
        (e: unknown): MutantOutcome => ({
          ...describe(m),
          status: 'error',
          namedLinks: [],
          failedCells: [],
          namedExpected: false,
          closest: [],
          error: e instanceof Error ? e.message : String(e),
          durationMs: Date.now() - started,
        }),
      );
      outcomes.push({ ...outcome, durationMs: Date.now() - started });
      o.onMutant?.(outcomes[outcomes.length - 1]);
    }
  }
  return {
    schemaVersion: 1,
    kind: 'audit',
    metadata: { ...o.metadata, cells: baseCells.length, durationMs: Date.now() - t0 },
    baseline: {
      passed: baseCells.filter((c) => !failed(c)).length,
      failed: baseCells.filter(failed).length,
      failedCells: baseCells.filter(failed).map((c) => c.id),
    },
    mutants: outcomes,
    ...scoreOf(outcomes),
  };
}

function scoreOver(defects: readonly MutantOutcome[]): AuditScore {
  const caught = defects.filter((m) => m.status === 'caught');
  const atExpected = caught.filter((m) => m.namedExpected).length;
  const share = (n: number) => (defects.length === 0 ? 0 : n / defects.length);
  return {
    caught: caught.length,
    total: defects.length,
    rate: share(caught.length),
    atExpected,
    atExpectedRate: share(atExpected),
  };
}

/** The score over the defects (the control excluded), per direction, and whether the control survived. */
export function scoreOf(
  outcomes: readonly MutantOutcome[],
): Pick<AuditResult, 'score' | 'byDirection' | 'controlSurvived'> {
  const defects = outcomes.filter((m) => m.expected !== 'none');
  const control = outcomes.filter((m) => m.expected === 'none');
  const of = (d: Direction) => defects.filter((m) => (m.direction ?? 'under') === d);
  return {
    score: scoreOver(defects),
    byDirection: { under: scoreOver(of('under')), over: scoreOver(of('over')) },
    controlSurvived: control.length > 0 && control.every((m) => m.status === 'survived'),
  };
}

/**
 * Whether the audit meets what CI requires: a clean baseline, the control survived, and — overall
 * and in each direction that has defects — the shares caught and caught at the expected link.
 */
export function meetsRequired(
  r: AuditResult,
  required: { caught: number; atExpected: number } = REQUIRED,
): boolean {
  const scores = [r.score, ...Object.values(r.byDirection ?? {}).filter((s) => s.total > 0)];
  return (
    r.baseline.passed > 0 &&
    r.controlSurvived &&
    scores.every((s) => s.rate >= required.caught && (s.atExpectedRate ?? 0) >= required.atExpected)
  );
}

/**
 * The audit's view of the stack: one shared server, as a planted defect's proxy and publish sit in
 * front of it (no per-cell servers). Scenarios that require an isolated server are therefore not
 * applicable in an audit (AUDIT_STACK_TRAITS).
 */
function sharedServer(real: StartedStack): StartedStack {
  const { cell: _cells, ...shared } = real;
  return shared;
}

/** What the audit's shared server offers of STACK_TRAITS: a movable clock, no isolated cells. */
export const AUDIT_STACK_TRAITS = ['movable-clock'] as const;

async function withStack<T>(audit: AuditDeps, work: (stack: StartedStack) => Promise<T>): Promise<T> {
  const stack = await audit.startStack();
  try {
    return await work(stack);
  } finally {
    await stack.stop();
  }
}

const describe = (m: Mutant) => ({
  id: m.id,
  class: m.class,
  where: m.where,
  story: m.story,
  expected: m.expected,
  direction: m.direction ?? 'under',
  ...(m.blindSpot ? { blindSpot: m.blindSpot } : {}),
});

async function playMutant(
  m: Mutant,
  o: Parameters<typeof runAudit>[0],
  baseEvidence: Map<string, Map<string, string>>,
  unusable: ReadonlySet<string>,
): Promise<MutantOutcome> {
  return withStack(o.audit, async (real) => {
    const defect = m.plant(real.clock);
    const proxy = defect.server ? await startMutatingProxy(real.server, defect.server, o.signer) : undefined;
    try {
      const shared = sharedServer(real);
      const stack: StartedStack = {
        ...shared,
        server: proxy?.endpoints ?? real.server,
        publish: defect.publish
          ? () => defect.publish?.(() => real.publish()) as ReturnType<StartedStack['publish']>
          : () => real.publish(),
      };
      const result = await o.audit.runPlan(o.plan, await o.audit.deps(stack, defect.app ?? ((b) => b)));
      const cells = result.scenarios.flatMap((s) => s.cells).filter((c) => !unusable.has(c.id));
      const failing = cells.filter(caughtBy);
      const errored = cells.filter(erroredIn);
      const counts = new Map<string, number>();
      for (const c of failing) {
        // The cell's own row is its first receiver's; a sender's chain (upload: …) may break alone.
        const link =
          c.firstBrokenLink ?? c.phones.find((p) => p.firstBrokenLink)?.firstBrokenLink ?? c.status;
        counts.set(link, (counts.get(link) ?? 0) + 1);
      }
      const namedLinks = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([l]) => l);
      const moved = evidence(result);
      const closest = [...moved.entries()]
        .map(([cell, links]) => ({
          cell,
          changedLinks: [...links.entries()]
            .filter(([l, v]) => baseEvidence.get(cell)?.get(l) !== v)
            .map(([l]) => l),
        }))
        .filter((c) => c.changedLinks.length > 0)
        .sort((a, b) => b.changedLinks.length - a.changedLinks.length)
        .slice(0, 5);
      const first = failing[0];
      const firstLink = [first?.links ?? [], ...(first?.phones ?? []).map((p) => p.links)]
        .flat()
        .find((l) => l.status === 'failed');
      return {
        ...describe(m),
        ...(first && firstLink
          ? { example: { cell: first.id, link: firstLink.name, detail: firstLink.detail } }
          : {}),
        status: failing.length > 0 ? 'caught' : errored.length > 0 ? 'errors-only' : 'survived',
        namedLinks,
        failedCells: failing.map((c) => c.id),
        ...(errored.length > 0 ? { erroredCells: errored.map((c) => c.id) } : {}),
        namedExpected: namedLinks.includes(m.expected),
        closest: failing.length > 0 ? [] : closest,
        durationMs: 0,
      };
    } finally {
      await proxy?.close();
    }
  });
}
