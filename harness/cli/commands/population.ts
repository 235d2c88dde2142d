import type { Command } from 'commander';
import { UsageError } from '../main.js';
import { shellQuote } from '../shell-quote.js';

function numberOption(name: string, value: string | undefined, min: number, max: number, integer: boolean) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${value}"`,
    );
  return n;
}

/** "2/4" → shard 2 of 4 (0-based index). */
function shardOption(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count)
    throw new UsageError(`--shard must be i/n with 0 ≤ i < n, got "${value}"`);
  return { index, count };
}

async function expectationOptions(opts: Record<string, string | undefined>) {
  const { expectationsFromFlags, loadExpectationsFile, PopulationExpectationError } = await import(
    '../../population/expectations.js'
  );
  try {
    return [
      ...expectationsFromFlags({ sensitivity: opts.expectSensitivity, falseAlarm: opts.expectFalseAlarm }),
      ...(opts.expect ? await loadExpectationsFile(opts.expect) : []),
    ];
  } catch (e) {
    if (e instanceof PopulationExpectationError) throw new UsageError(e.message);
    throw e;
  }
}

const EXPECT_HELP = {
  sensitivity: 'expected share of close contacts notified, per platform, e.g. ">= 0.8" (exit 1 unless shown)',
  falseAlarm:
    'expected share of non-close contacts notified, per platform, e.g. "<= 0.3" (exit 1 unless shown)',
  file: 'YAML of expectations: sensitivity / false-alarm, each a bound or {android, ios}',
  margin: 'a "no difference" passes only if the run could detect this difference (80 % power)',
};

function nowOption(value: string | undefined): number {
  if (value === undefined) return Math.floor(Date.now() / 1000);
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new UsageError(`--now must be an ISO time like 2026-12-01T12:00:00Z, got "${value}"`);
  return Math.floor(t / 1000);
}

/**
 * `ichiren population`: N phones for D days through the real chain; notification rates per platform
 * with intervals, the per-link losses and the platform differential. `--compare <release>` runs the
 * same population under a second release. `ichiren population merge` adds up shards.
 */
export function register(program: Command): void {
  const population = program
    .command('population')
    .description(
      'a seeded population through the real chain: who was notified, per platform, and where contacts were lost',
    )
    .option('--phones <n>', 'phones', '100000')
    .option('--days <n>', 'days (1–14)', '14')
    .option('--seed <n>', 'seed of the population, its meetings and its keys', '1')
    .option('--release <name|file>', 'release of every phone and the server', 'latest')
    .option('--compare <name|file>', 'run the same population under this release too, and compare')
    .option('--incidence <p>', 'daily probability of a positive test per phone')
    .option('--register-share <p>', 'share of positives who register their processing number')
    .option('--ios-share <p>', 'share of iPhones')
    .option('--alpha <a>', 'significance level of intervals and tests', '0.01')
    .option('--margin <d>', EXPECT_HELP.margin, '0.1')
    .option('--expect-sensitivity <bound>', EXPECT_HELP.sensitivity)
    .option('--expect-false-alarm <bound>', EXPECT_HELP.falseAlarm)
    .option('--expect <file>', EXPECT_HELP.file)
    .option(
      '--sweep-threshold <lo..hi>',
      'what-if over the threshold (dB): sensitivity against false alarms per platform, drawn in the HTML page',
    )
    .option('--shard <i/n>', 'only receivers i, i+n, i+2n…; merge the shards with `population merge`')
    .option('--now <iso>', "the run's clock (days end yesterday, UTC); default: now")
    .option('--server-command <cmd>', 'command that starts the server (target process)')
    .option('--server-image <image>', 'container image of the server (target container)')
    .option('--report-dir <dir>', 'where population.json and population.html go', 'reports')
    .action(async (opts: Record<string, string | undefined>) => {
      const { DEFAULT_PARAMS, PopulationParamsError, validateParams } = await import(
        '../../population/params.js'
      );
      const seed = numberOption('seed', opts.seed, 0, 2 ** 32 - 1, true) as number;
      let params: import('../../population/params.js').PopulationParams;
      try {
        params = validateParams({
          ...DEFAULT_PARAMS,
          phones: numberOption('phones', opts.phones, 2, 10_000_000, true) as number,
          days: numberOption('days', opts.days, 1, 14, true) as number,
          seed,
          ...(opts.incidence
            ? { dailyIncidence: numberOption('incidence', opts.incidence, 0, 1, false) as number }
            : {}),
          ...(opts.registerShare
            ? { registerShare: numberOption('register-share', opts.registerShare, 0, 1, false) as number }
            : {}),
          ...(opts.iosShare
            ? { iosShare: numberOption('ios-share', opts.iosShare, 0, 1, false) as number }
            : {}),
        });
      } catch (e) {
        if (e instanceof PopulationParamsError) throw new UsageError(e.message);
        throw e;
      }
      const alpha = numberOption('alpha', opts.alpha, 1e-6, 0.5, false) as number;
      const margin = numberOption('margin', opts.margin, 0.001, 1, false) as number;
      const expectations = await expectationOptions(opts);
      const { parseSweep } = await import('../../population/sweep.js');
      const sweepThresholdDb =
        opts.sweepThreshold === undefined ? undefined : parseSweep(opts.sweepThreshold);
      if (sweepThresholdDb === null)
        throw new UsageError(
          `--sweep-threshold must be lo..hi in whole dB from 0 to 120, like 55..70, got "${opts.sweepThreshold}"`,
        );
      const shard = shardOption(opts.shard);
      const nowEpochSeconds = nowOption(opts.now);
      const { loadRelease, ScenarioErrors } = await import('../../scenario/index.js');
      const load = async (name: string) => {
        try {
          return await loadRelease(name);
        } catch (e) {
          if (e instanceof ScenarioErrors) throw new UsageError(`invalid release\n${e.message}`);
          throw e;
        }
      };
      const release = await load(opts.release ?? 'latest');
      const other = opts.compare ? await load(opts.compare) : undefined;
      const { runPopulation, comparePopulations } = await import('../../population/run.js');
      const { runFailed } = await import('../../population/results.js');
      const { formatPopulation, formatComparison } = await import('../../population/terminal.js');
      const { writePopulationReports } = await import('../../population/write.js');
      const pkg = (await import('../../../package.json', { with: { type: 'json' } })).default as {
        version: string;
      };
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const common = {
          params,
          nowEpochSeconds,
          alpha,
          margin,
          expectations,
          ...(shard ? { shard } : {}),
          ...(sweepThresholdDb ? { sweepThresholdDb } : {}),
          target: {
            ...(opts.serverCommand ? { serverCommand: opts.serverCommand } : {}),
            ...(opts.serverImage ? { serverImage: opts.serverImage } : {}),
          },
          command: ['ichiren', ...process.argv.slice(2)].map(shellQuote).join(' '),
          ichirenVersion: pkg.version,
          signal: controller.signal,
          onDay: (_: number, line: string) => process.stderr.write(`  ${line}\n`),
        };
        const base = await runPopulation({ ...common, release });
        process.stdout.write(`${formatPopulation(base)}\n`);
        let comparison: ReturnType<typeof comparePopulations> | undefined;
        let second: Awaited<ReturnType<typeof runPopulation>> | undefined;
        if (other) {
          second = await runPopulation({ ...common, release: other });
          process.stdout.write(`\n${formatPopulation(second)}\n`);
          comparison = comparePopulations(base, second, alpha, margin);
          process.stdout.write(`\n${formatComparison(comparison, alpha)}\n`);
        }
        const written = await writePopulationReports(opts.reportDir ?? 'reports', {
          runs: second ? [base, second] : [base],
          ...(comparison ? { comparison } : {}),
        });
        process.stdout.write(`reports: ${written.join(', ')}\n`);
        // Exit 1 when a run's platforms differ or an expectation is not shown by its interval.
        process.exitCode = [base, second].some((r) => r !== undefined && runFailed(r)) ? 1 : 0;
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    });

  // --report-dir, --alpha, --margin and --expect-* are `population`'s options: commander gives them to
  // the parent even after `merge`, so merge reads them there (as `watch history` does). --alpha and
  // --margin only when given; the shards' otherwise.
  population
    .command('merge')
    .description(
      "add up the results of the shards of one population run; --report-dir, --alpha, --margin and --expect-* as for a run (default α, margin and expectations: the shards')",
    )
    .argument('<files...>', 'population.json of each shard')
    .configureHelp({ showGlobalOptions: true })
    .action(async (files: string[], _local: unknown, command: Command) => {
      const parent = command.parent as Command;
      const all = parent.opts() as Record<string, string | undefined>;
      const given = (name: string) => (parent.getOptionValueSource(name) === 'cli' ? all[name] : undefined);
      const opts: Record<string, string | undefined> = {
        ...all,
        alpha: given('alpha'),
        margin: given('margin'),
      };
      const { readFile } = await import('node:fs/promises');
      const { mergeResults, PopulationMergeError, runFailed } = await import('../../population/results.js');
      const { formatPopulation } = await import('../../population/terminal.js');
      const { writePopulationReports } = await import('../../population/write.js');
      const alpha = numberOption('alpha', opts.alpha, 1e-6, 0.5, false);
      const margin = numberOption('margin', opts.margin, 0.001, 1, false);
      const expectations = await expectationOptions(opts);
      const parts = [];
      for (const file of files) {
        let doc: { runs?: unknown[] };
        try {
          doc = JSON.parse(await readFile(file, 'utf8'));
        } catch (e) {
          throw new UsageError(
            `${file}: cannot read a population result (${e instanceof Error ? e.message : e})`,
          );
        }
        if (!Array.isArray(doc.runs) || doc.runs.length !== 1)
          throw new UsageError(`${file}: not the population.json of one shard (runs[] must hold one run)`);
        parts.push(doc.runs[0] as import('../../population/results.js').PopulationResult);
      }
      let merged: import('../../population/results.js').PopulationResult;
      try {
        merged = mergeResults(parts, {
          ...(alpha !== undefined ? { alpha } : {}),
          ...(margin !== undefined ? { margin } : {}),
          ...(expectations.length > 0 ? { expectations } : {}),
        });
      } catch (e) {
        if (e instanceof PopulationMergeError) throw new UsageError(e.message);
        throw e;
      }
      process.stdout.write(`${formatPopulation(merged)}\n`);
      const written = await writePopulationReports(opts.reportDir ?? 'reports', { runs: [merged] });
      process.stdout.write(`reports: ${written.join(', ')}\n`);
      process.exitCode = runFailed(merged) ? 1 : 0;
    });
}
