/**
 * The audit on several processes. Node runs a stack, its in-memory PGlite and its phones on one
 * thread, so one audit process uses one core however many cells run at once. Each shard process
 * plays the clean baseline and every n-th defect (every class gets its share) on stacks of its own;
 * the parent merges the shards' results in catalog order. No state crosses processes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runChildCli } from '../environment/child-cli.js';
import { type AuditResult, type MutantOutcome, scoreOf } from './audit.js';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `k/n` with 0 ≤ k < n, or undefined. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return undefined;
  const [index, count] = [Number(m[1]), Number(m[2])];
  return count >= 1 && index < count ? { index, count } : undefined;
}

export const inShard = <T>(items: readonly T[], shard: Shard): T[] =>
  items.filter((_, i) => i % shard.count === shard.index);

/**
 * One result from the shards': a cell that failed in any shard's baseline is counted as failing
 * without a defect (each shard already left it out of its own verdicts).
 */
export function mergeAudits(
  parts: readonly AuditResult[],
  order: readonly string[],
  durationMs: number,
): AuditResult {
  const [first] = parts;
  if (!first) throw new Error('no shard returned a result');
  const failedCells = [...new Set(parts.flatMap((p) => p.baseline.failedCells))];
  const rank = new Map(order.map((id, i) => [id, i]));
  const mutants: MutantOutcome[] = parts
    .flatMap((p) => p.mutants)
    .sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
  return {
    ...first,
    metadata: { ...first.metadata, durationMs },
    baseline: {
      passed: first.metadata.cells - failedCells.length,
      failed: failedCells.length,
      failedCells,
      ...(first.baseline.example ? { example: first.baseline.example } : {}),
    },
    mutants,
    ...scoreOf(mutants),
  };
}

/**
 * Runs `ichiren audit <argv>` once per shard (their defect lines stream to this terminal) and
 * returns their results. `signal` stops them (each finishes what it can report).
 */
export async function runShards(o: {
  readonly entry: string;
  readonly argv: readonly string[];
  readonly count: number;
  readonly signal?: AbortSignal;
}): Promise<AuditResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-audit-shards-'));
  try {
    // Settled, not raced: the folder goes only once every shard has ended.
    const runs = await Promise.allSettled(
      Array.from({ length: o.count }, (_, index) => {
        const out = path.join(dir, `${index}.json`);
        return runChildCli(
          o.entry,
          [...o.argv, '--jobs', '1', '--shard', `${index}/${o.count}`, '--shard-out', out],
          o.signal,
        ).then(async (r) => {
          try {
            return JSON.parse(await readFile(out, 'utf8')) as AuditResult;
          } catch {
            throw new Error(
              `audit shard ${index + 1} of ${o.count} ended without a result (exit ${r.exitCode})`,
            );
          }
        });
      }),
    );
    const failed = runs.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return runs.map((r) => (r as PromiseFulfilledResult<AuditResult>).value);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
