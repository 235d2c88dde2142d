/**
 * The library under many seeds (`ichiren run --seeds 1..200`): per scenario, on how many seeds it
 * passed, and how the failures broke (cell, platform, first broken link); per seed, the run's verdict
 * (which platforms the chain reaches, and at which links the others broke), so "every seed fails
 * Android only, at score" reads off one line. Scenarios judged over trials are statistical: the run
 * holds them together at 1 % (Holm, trials.ts), so they are counted apart; every other scenario must
 * pass on every seed.
 */
import type { CellResult, RunResult } from './results.js';

export interface SeedSweepScenario {
  readonly id: string;
  /** Judged over trials (rates, differential): may fail on a share of seeds up to about α. */
  readonly statistical: boolean;
  readonly passed: number;
  readonly seeds: number;
  /** "cell [platform] at link" or "rate …" → number of seeds it failed on. */
  readonly failures: Readonly<Record<string, number>>;
  readonly failedSeeds: readonly number[];
}

export interface SeedSweepResult {
  readonly seeds: readonly number[];
  readonly scenarios: readonly SeedSweepScenario[];
  /** The run's verdict (seedVerdict) → the seeds that gave it. */
  readonly verdicts: Readonly<Record<string, readonly number[]>>;
  /** Every non-statistical scenario passed on every seed. */
  readonly deterministicHeld: boolean;
  /** Cells per seed taken from a sweep's first seed (cellsNoSeedMoves), of the cells per seed. */
  readonly ranOnce: { readonly reused: number; readonly cells: number };
}

type Tally = {
  statistical: boolean;
  passed: number;
  seeds: number;
  failures: Map<string, number>;
  failedSeeds: number[];
};

const PLATFORM_NAMES = { android: 'Android', ios: 'iOS' } as const;

/**
 * One seed's run in a line: its status, then per platform and app ✔, or ✘ with the links its
 * receivers broke at (failed cells' first broken links; failed rates' most common stop).
 * E.g. "failed: Android ✘ at score (cocoa-1.1.4) · iOS ✔ (cocoa-1.1.4)".
 */
export function seedVerdict(run: RunResult): string {
  const links = new Map<string, Set<string>>();
  const add = (platform: string, app: string, link: string) => {
    const key = `${platform}\u0000${app}`;
    links.set(key, (links.get(key) ?? new Set()).add(link));
  };
  for (const s of run.scenarios) {
    for (const c of s.cells)
      for (const p of c.phones)
        if (c.status !== 'passed' && p.firstBrokenLink) add(p.platform, p.app, p.firstBrokenLink);
        else if (c.status !== 'passed' && c.status !== 'failed') add(p.platform, p.app, c.status);
    for (const r of s.rates ?? [])
      if (!r.passed)
        for (const g of r.groups) {
          const stops = Object.entries(g.stoppedAt).sort((a, b) => b[1] - a[1]);
          if (stops[0] && g.rate < 1) add(g.platform, g.app, stops[0][0]);
        }
  }
  const parts = run.summary.verdict.map((v) => {
    const at = [...(links.get(`${v.platform}\u0000${v.app}`) ?? [])].sort();
    const name = PLATFORM_NAMES[v.platform];
    return v.reaches
      ? `${name} ✔ (${v.app})`
      : `${name} ✘${at.length ? ` at ${at.join(', ')}` : ''} (${v.app})`;
  });
  return `${run.status}: ${parts.join(' · ')}`;
}

/**
 * One seed's run in the few facts the sweep counts, plain data: what a sweep process sends the
 * process that tallies (seed-processes.ts).
 */
export interface SeedOutcome {
  readonly seed: number;
  readonly cells: number;
  readonly passed: number;
  /** Scenarios whose rate or differential judgement failed. */
  readonly ratesFailed: number;
  /** seedVerdict of the run. */
  readonly verdict: string;
  /** Per scenario, how it failed on this seed (no reasons: it passed). */
  readonly scenarios: readonly {
    readonly id: string;
    readonly statistical: boolean;
    readonly reasons: readonly string[];
  }[];
  /** Cells taken from the sweep's first seed, not run again (cellsNoSeedMoves). */
  readonly reused: number;
}

/** The outcome of one seed's run (pure over its inputs). */
export function seedOutcome(seed: number, run: RunResult, reused = 0): SeedOutcome {
  const scenarios = run.scenarios.map((s) => {
    const reasons = new Set<string>();
    for (const c of s.cells) {
      if (c.status === 'passed') continue;
      const base = c.id.replace(/#\d+$/, '');
      const broken = c.phones.filter((p) => p.firstBrokenLink !== null);
      if (broken.length === 0) reasons.add(`${base} ${c.status}`);
      for (const p of broken) reasons.add(`${base} ${p.phone} (${p.platform}) at ${p.firstBrokenLink}`);
    }
    for (const r of s.rates ?? [])
      if (!r.passed) reasons.add(`${r.kind} ${r.expectation} (${r.groups.map((g) => g.platform).join('/')})`);
    return { id: s.id, statistical: (s.rates ?? []).length > 0, reasons: [...reasons] };
  });
  return {
    seed,
    cells: run.summary.cells,
    passed: run.summary.passed,
    ratesFailed: run.scenarios.filter((x) => (x.rates ?? []).some((r) => !r.passed)).length,
    verdict: seedVerdict(run),
    scenarios,
    reused,
  };
}

/** The line printed as each seed ends. */
export function seedLine(o: SeedOutcome): string {
  return `seed ${o.seed}: ${o.passed}/${o.cells} cells passed, ${o.ratesFailed} rate judgement(s) failed; ${o.verdict}`;
}

/** Adds one seed's outcome to the tallies. */
function tallySeed(tallies: Map<string, Tally>, outcome: SeedOutcome): void {
  for (const s of outcome.scenarios) {
    const t: Tally = tallies.get(s.id) ?? {
      statistical: s.statistical,
      passed: 0,
      seeds: 0,
      failures: new Map(),
      failedSeeds: [],
    };
    t.seeds++;
    if (s.reasons.length === 0) t.passed++;
    else t.failedSeeds.push(outcome.seed);
    for (const r of s.reasons) t.failures.set(r, (t.failures.get(r) ?? 0) + 1);
    tallies.set(s.id, t);
  }
}

export function sweepResult(
  seeds: readonly number[],
  tallies: ReadonlyMap<string, Tally>,
  verdicts: ReadonlyMap<string, readonly number[]> = new Map(),
  ranOnce: { readonly reused: number; readonly cells: number } = { reused: 0, cells: 0 },
): SeedSweepResult {
  const scenarios = [...tallies.entries()].map(([id, t]) => ({
    id,
    statistical: t.statistical,
    passed: t.passed,
    seeds: t.seeds,
    failures: Object.fromEntries(t.failures),
    failedSeeds: t.failedSeeds,
  }));
  return {
    seeds,
    scenarios,
    verdicts: Object.fromEntries(verdicts),
    deterministicHeld: scenarios.every((s) => s.statistical || s.passed === s.seeds),
    ranOnce,
  };
}

/**
 * The cells of a run whose verdict no seed can move, by id: their phones drew nothing from the seed
 * but identities (no simulated radio, at most one ExposureWindow: results.ts `draws`), they are no
 * trial of a statistical scenario, and they were judged (an error is the run's, not the cell's
 * inputs', so it is run again). Under another seed such a cell replays the same chain with other
 * key bytes and numbers; the sweep takes its result once (`--every-cell` runs it on every seed).
 */
export function cellsNoSeedMoves(run: RunResult): Map<string, CellResult> {
  const cells = new Map<string, CellResult>();
  for (const s of run.scenarios) {
    if ((s.rates ?? []).length > 0) continue;
    for (const c of s.cells)
      if ((c.draws ?? []).length === 0 && (c.status === 'passed' || c.status === 'failed'))
        cells.set(c.id, c);
  }
  return cells;
}

/** Tallies outcomes as they come, in any order (one sweep process, or several). */
export class SeedTallies {
  readonly #tallies = new Map<string, Tally>();
  readonly #verdicts = new Map<string, number[]>();
  readonly #seeds: number[] = [];
  #reused = 0;
  #cells = 0;

  add(outcome: SeedOutcome): void {
    tallySeed(this.#tallies, outcome);
    this.#verdicts.set(outcome.verdict, [...(this.#verdicts.get(outcome.verdict) ?? []), outcome.seed]);
    this.#seeds.push(outcome.seed);
    this.#reused = Math.max(this.#reused, outcome.reused);
    this.#cells = Math.max(this.#cells, outcome.cells);
  }

  result(): SeedSweepResult {
    const bySeed = (a: number, b: number) => a - b;
    for (const t of this.#tallies.values()) t.failedSeeds.sort(bySeed);
    const verdicts = new Map([...this.#verdicts].map(([v, seeds]) => [v, [...seeds].sort(bySeed)]));
    return sweepResult([...this.#seeds].sort(bySeed), this.#tallies, verdicts, {
      reused: this.#reused,
      cells: this.#cells,
    });
  }
}

/**
 * Runs `runSeed` for each seed in turn and tallies; `onSeed` hears each finished seed. From the second
 * seed on, `runSeed` is handed the first seed's cells that no seed can move (cellsNoSeedMoves), to take
 * as they are, unless `everyCell`.
 */
export async function runSeedSweep(
  seeds: readonly number[],
  runSeed: (seed: number, reuse: ReadonlyMap<string, CellResult>) => Promise<RunResult | null>,
  onSeed?: (outcome: SeedOutcome) => void,
  options: { readonly everyCell?: boolean } = {},
): Promise<SeedSweepResult> {
  const tallies = new SeedTallies();
  let reuse: ReadonlyMap<string, CellResult> = new Map();
  for (const seed of seeds) {
    const run = await runSeed(seed, reuse);
    if (!run) break; // interrupted
    const outcome = seedOutcome(seed, run, reuse.size);
    if (seed === seeds[0] && !options.everyCell) reuse = cellsNoSeedMoves(run);
    tallies.add(outcome);
    onSeed?.(outcome);
  }
  return tallies.result();
}

const MAX_LISTED_SEEDS = 10;

/** "1..200"; the seeds an interrupted sweep finished need not be one range: "4 of 1..12". */
function seedSpan(seeds: readonly number[]): string {
  const [first, last] = [seeds[0], seeds.at(-1)];
  if (first === undefined || last === undefined) return '-';
  return last - first + 1 === seeds.length ? `${first}..${last}` : `${seeds.length} of ${first}..${last}`;
}

/** The terminal table: one line per scenario with its pass count, then how the failures broke. */
export function formatSeedSweep(result: SeedSweepResult): string {
  const n = result.seeds.length;
  const width = Math.max(8, ...result.scenarios.map((s) => s.id.length));
  const out = [`${'scenario'.padEnd(width)}  seeds passed`];
  for (const s of result.scenarios) {
    const mark = s.passed === s.seeds ? '✔' : s.statistical ? '~' : '✘';
    out.push(
      `${s.id.padEnd(width)}  ${mark} ${s.passed}/${s.seeds}${s.statistical ? '  (over trials)' : ''}`,
    );
    for (const [reason, count] of Object.entries(s.failures))
      out.push(`${' '.repeat(width)}    ${count}× ${reason}`);
    if (s.failedSeeds.length > 0)
      out.push(
        `${' '.repeat(width)}    failed seeds: ${s.failedSeeds.slice(0, MAX_LISTED_SEEDS).join(', ')}${s.failedSeeds.length > MAX_LISTED_SEEDS ? ', …' : ''}`,
      );
  }
  const allPassed = result.scenarios.filter((s) => s.passed === s.seeds).length;
  out.push('', 'The run per seed:');
  for (const [verdict, seeds] of Object.entries(result.verdicts).sort((a, b) => b[1].length - a[1].length))
    out.push(
      `  ${seeds.length}× ${verdict}${seeds.length < n ? `  (seeds ${seeds.slice(0, MAX_LISTED_SEEDS).join(', ')}${seeds.length > MAX_LISTED_SEEDS ? ', …' : ''})` : ''}`,
    );
  out.push(
    '',
    `${result.scenarios.length} scenarios × ${n} seeds (${seedSpan(result.seeds)}): ${allPassed} passed on every seed; deterministic scenarios ${result.deterministicHeld ? 'held on every seed' : 'FAILED on some seed'}`,
  );
  if (result.ranOnce.reused > 0)
    out.push(
      `${result.ranOnce.reused} of the ${result.ranOnce.cells} cells ran on the first seed only (of each sweep process): no draw of the seed could move them (exact radio, at most one exposure window, no trials); --every-cell runs every cell on every seed`,
    );
  return `${out.join('\n')}\n`;
}
