/**
 * A seed sweep on several processes. A run's stack, its in-memory PGlite and its phones share one
 * thread, so one sweep process uses one core. Each process sweeps a contiguous range of the seeds
 * (its first seed in full, seed-sweep.ts) on stacks of its own and writes its outcomes; the parent
 * tallies them. Each seed's line streams to this terminal as it ends. No state crosses processes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INTERRUPTED_EXIT_CODE } from '../cli/signals.js';
import { runChildCli } from '../environment/child-cli.js';
import type { SeedOutcome } from './seed-sweep.js';

/** `seeds` in `count` contiguous ranges whose sizes differ by one at most (no empty range). */
export function splitSeeds(seeds: readonly number[], count: number): number[][] {
  const n = Math.max(1, Math.min(count, seeds.length));
  const out: number[][] = [];
  let from = 0;
  for (let i = 0; i < n; i++) {
    const size = Math.floor(seeds.length / n) + (i < seeds.length % n ? 1 : 0);
    out.push(seeds.slice(from, from + size));
    from += size;
  }
  return out.filter((r) => r.length > 0);
}

/** `argv` without the named options and their values (`--x v` and `--x=v`). */
export function withoutOptions(argv: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (names.includes(a)) i++;
    else if (!names.some((n) => a.startsWith(`${n}=`))) out.push(a);
  }
  return out;
}

/** What a sweep process writes to its `--sweep-out` file. */
export interface SeedProcessOutput {
  readonly outcomes: readonly SeedOutcome[];
}

export interface SeedProcessesResult {
  readonly outcomes: readonly SeedOutcome[];
  /** Each process's exit code, in range order. */
  readonly exitCodes: readonly number[];
}

/**
 * Runs `ichiren run <argv>` once per range of `seeds` (`--seeds a..b --jobs 1 --sweep-out f`) and
 * returns every outcome they wrote. `signal` stops them: each has written the seeds it finished, as
 * each ended. A process that ends without writing, not interrupted (a usage or environment error,
 * already printed on its stderr), throws.
 */
export async function runSeedProcesses(o: {
  readonly entry: string;
  readonly argv: readonly string[];
  readonly seeds: readonly number[];
  readonly count: number;
  readonly signal?: AbortSignal;
}): Promise<SeedProcessesResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-seed-sweep-'));
  try {
    const base = withoutOptions(o.argv, ['--seeds', '--jobs', '--sweep-out']);
    // Settled, not raced: the folder goes only once every process has ended.
    const runs = await Promise.allSettled(
      splitSeeds(o.seeds, o.count).map((range, index) => {
        const out = path.join(dir, `${index}.json`);
        const seeds = `${range[0]}..${range.at(-1)}`;
        return runChildCli(
          o.entry,
          [...base, '--seeds', seeds, '--jobs', '1', '--sweep-out', out],
          o.signal,
        ).then(async (r) => {
          let written: SeedProcessOutput;
          try {
            written = JSON.parse(await readFile(out, 'utf8')) as SeedProcessOutput;
          } catch {
            // Interrupted before its first seed ended: it finished none.
            if (r.exitCode === INTERRUPTED_EXIT_CODE) return { outcomes: [], exitCode: r.exitCode };
            throw new SeedProcessError(
              `the sweep process of seeds ${seeds} ended without its outcomes (exit ${r.exitCode ?? r.signal})`,
              r.exitCode ?? 1,
            );
          }
          return { outcomes: written.outcomes, exitCode: r.exitCode ?? 1 };
        });
      }),
    );
    const failed = runs.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const parts = runs.map(
      (r) => (r as PromiseFulfilledResult<{ outcomes: SeedOutcome[]; exitCode: number }>).value,
    );
    return { outcomes: parts.flatMap((p) => p.outcomes), exitCodes: parts.map((p) => p.exitCode) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A sweep process ended without its outcomes; `exitCode` is its own. */
export class SeedProcessError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'SeedProcessError';
  }
}
