import os from 'node:os';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { UsageError } from '../main.js';
import { shellQuote } from '../shell-quote.js';

/**
 * `ichiren audit [paths…]`: plants each defect of the catalog in the reference server, the app builds
 * or the configuration, runs the scenario library against it, and reports what was caught. Exit 0
 * when the shares caught (--min-score) and caught at the expected link (--min-at-expected) are met
 * overall and in each direction and the control survived, 1 otherwise, 2 for usage errors.
 */
export function register(program: Command): void {
  program
    .command('audit')
    .description(
      'measure what the scenario library catches: plant realistic defects one by one and run it against each',
    )
    .argument('[paths...]', 'scenario files or folders', ['scenarios'])
    .option('--release <name|file>', 'release of the phones and the reference server', 'latest')
    .option(
      '--catalog <file>',
      'defects: a YAML catalog or a module exporting mutants (default: the built-in catalog)',
    )
    .option('--only <regex>', 'only defects whose id or class matches')
    .option('--seed <n>', 'seed of every simulated thing', '1')
    .option('--workers <n>', 'cells run in parallel', '4')
    .option(
      '--jobs <n>',
      'processes sharing the defects (one core each)',
      String(Math.min(4, os.availableParallelism())),
    )
    .addOption(
      new Option('--shard <k/n>', 'play the baseline and every n-th defect from the k-th').hideHelp(),
    )
    .addOption(new Option('--shard-out <file>', "where a shard writes its result's JSON").hideHelp())
    .option(
      '--min-score <share>',
      'exit 1 below this share of defects caught, overall or in either direction',
      '0.95',
    )
    .option(
      '--min-at-expected <share>',
      'exit 1 below this share caught at the expected link, overall or in either direction',
      '0.9',
    )
    .option('--report-dir <dir>', 'where audit.json and audit.html go', 'reports')
    .action(async (paths: string[], opts: Record<string, string | undefined>) => {
      const seed = Number(opts.seed);
      const workers = Number(opts.workers);
      const minScore = Number(opts.minScore);
      if (!Number.isInteger(seed) || seed < 0)
        throw new UsageError(`--seed must be an integer ≥ 0, got "${opts.seed}"`);
      if (!Number.isInteger(workers) || workers < 1)
        throw new UsageError(`--workers must be an integer ≥ 1, got "${opts.workers}"`);
      const jobs = Number(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1)
        throw new UsageError(`--jobs must be an integer ≥ 1, got "${opts.jobs}"`);
      if (!(minScore >= 0 && minScore <= 1))
        throw new UsageError(`--min-score must be from 0 to 1, got "${opts.minScore}"`);
      const minAtExpected = Number(opts.minAtExpected);
      if (!(minAtExpected >= 0 && minAtExpected <= 1))
        throw new UsageError(`--min-at-expected must be from 0 to 1, got "${opts.minAtExpected}"`);
      let only: RegExp | undefined;
      try {
        only = opts.only ? new RegExp(opts.only) : undefined;
      } catch {
        throw new UsageError(`--only must be a regular expression, got "${opts.only}"`);
      }
      const { CatalogError, loadCatalog } = await import('../../audit/catalog.js');
      let mutants: Awaited<ReturnType<typeof loadCatalog>>;
      try {
        mutants = (await loadCatalog(opts.catalog)).filter(
          (m) => !only || only.test(m.id) || only.test(m.class),
        );
      } catch (e) {
        if (e instanceof CatalogError) throw new UsageError(e.message);
        throw e;
      }
      if (mutants.length === 0) throw new UsageError('no defect in the catalog matches --only');

      const { ScenarioErrors, compilePlan, loadRelease, loadScenarios } = await import(
        '../../scenario/index.js'
      );
      let plan: import('../../scenario/plan.js').Plan;
      let release: import('../../scenario/release.js').Release;
      try {
        release = await loadRelease(opts.release ?? 'latest');
        plan = compilePlan(await loadScenarios(paths.length > 0 ? paths : ['scenarios']), {
          release,
          seed,
          nowEpochSeconds: Math.floor(Date.now() / 1000),
          platforms: ['android', 'ios'],
        });
      } catch (e) {
        if (e instanceof ScenarioErrors) throw new UsageError(`invalid scenario or release\n${e.message}`);
        throw e;
      }
      const { selectApplicable } = await import('../../runner/applicability.js');
      const { loadAppBuild, World } = await import('../../devices/index.js');
      const { AUDIT_STACK_TRAITS } = await import('../../audit/audit.js');
      // The audit plays every defect on one shared server: scenarios needing a server of their own sit out.
      ({ plan } = await selectApplicable(plan, loadAppBuild, AUDIT_STACK_TRAITS));

      const { inShard, mergeAudits, parseShard, runShards } = await import('../../audit/shards.js');
      const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
      if (opts.shard !== undefined && (!shard || !opts.shardOut))
        throw new UsageError(`--shard must be k/n with k < n, with --shard-out; got "${opts.shard}"`);
      const { formatAudit, formatMutant } = await import('../../audit/terminal.js');
      const { writeAuditReports } = await import('../../audit/write.js');
      const { meetsRequired } = await import('../../audit/audit.js');
      const report = async (result: import('../../audit/audit.js').AuditResult) => {
        process.stdout.write(`${formatAudit(result)}\n`);
        const written = await writeAuditReports(opts.reportDir ?? 'reports', result);
        process.stdout.write(`reports: ${written.join(', ')}\n`);
        process.exitCode = meetsRequired(result, { caught: minScore, atExpected: minAtExpected }) ? 0 : 1;
      };
      if (!shard && Math.min(jobs, mutants.length) > 1) {
        const t0 = Date.now();
        const controller = new AbortController();
        const onSignal = () => controller.abort();
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        try {
          const parts = await runShards({
            entry: process.argv[1] ?? 'bin/ichiren.js',
            argv: process.argv.slice(2),
            count: Math.min(jobs, mutants.length),
            signal: controller.signal,
          });
          await report(
            mergeAudits(
              parts,
              mutants.map((m) => m.id),
              Date.now() - t0,
            ),
          );
        } finally {
          process.removeListener('SIGINT', onSignal);
          process.removeListener('SIGTERM', onSignal);
        }
        return;
      }
      if (shard) mutants = inShard(mutants, shard);

      const { startStack, realDeps } = await import('../../runner/wiring.js');
      const { runPlan } = await import('../../runner/run-plan.js');
      const { startFaultProxy } = await import('../../faults/server-proxy.js');
      const { loadSigner } = await import('../../protocol/index.js');
      const { readFile } = await import('node:fs/promises');
      const { TEST_SIGNING_KEY_PATH } = await import('../../../server/config.js');
      const { runAudit } = await import('../../audit/audit.js');
      // Defects are planted around the reference server: the embedded target, with the release's
      // behaviour and configuration set.
      const stackOptions = {
        target: 'embedded' as const,
        ...(release.server.behaviour ? { serverBehaviour: release.server.behaviour } : {}),
        ...(release.server.configurationSet ? { configurationSet: release.server.configurationSet } : {}),
        hersys: { seed },
      };
      const { openReusableDatabase } = await import('../../../server/database/reusable.js');
      // One database and one browser for every run: a stack per run stays fresh (the database is
      // emptied back to its migrated state, HER-SYS and the server start anew), without paying
      // PGlite's and Chromium's start-up 34 times.
      // Launched before the first run, as `ichiren run` does: its start-up never counts against a step.
      const { launchRunChromium } = await import('../../browser/chromium.js');
      const webScreen = plan.scenarios.some((s) =>
        s.cells.some((c) => c.steps.some((st) => st.kind === 'diagnose' && st.via === 'web-screen')),
      );
      let browser = webScreen ? Promise.resolve(await launchRunChromium()) : undefined;
      const sharedBrowser = () => (browser ??= launchRunChromium());
      const closeBrowser = async () => {
        if (browser) await (await browser.catch(() => undefined))?.close();
      };
      const database = await openReusableDatabase().catch(async (e: unknown) => {
        await closeBrowser();
        throw e;
      });
      const serverFaults = await startFaultProxy().catch(async (e: unknown) => {
        await closeBrowser();
        await database.close();
        throw e;
      });
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const disposers: (() => Promise<void>)[] = [];
      try {
        const signer = loadSigner(await readFile(TEST_SIGNING_KEY_PATH, 'utf8'), '440', 'v1');
        const pkg = (await import('../../../package.json', { with: { type: 'json' } })).default as {
          version: string;
        };
        const metadata = {
          ichirenVersion: pkg.version,
          seed,
          release: release.name,
          target: {
            kind: 'embedded' as const,
            detail: `reference server (${release.server.behaviour ?? 'default'})`,
          },
          apps: release.apps,
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
          command: ['ichiren', ...process.argv.slice(2)].map(shellQuote).join(' '),
        };
        const result = await runAudit({
          plan,
          mutants,
          signer,
          metadata,
          signal: controller.signal,
          audit: {
            startStack: () => startStack({ ...stackOptions, serverDatabase: () => database.lease() }),
            async deps(s, decorate) {
              const base = await realDeps(s, { sharedBrowser });
              if (base.dispose) disposers.push(base.dispose);
              return {
                ...base,
                serverFaults,
                createWorld: (worldSeed: number) =>
                  new World({
                    seed: worldSeed,
                    resolveApp: async (id: string) => decorate(await loadAppBuild(id)),
                  }) as unknown as ReturnType<typeof base.createWorld>,
              };
            },
            runPlan: (p, deps) => runPlan(p, deps, { workers, stepTimeoutMs: 15_000, metadata }),
          },
          onMutant: (m) => process.stdout.write(`${formatMutant(m)}\n`),
        });
        if (shard && opts.shardOut) {
          const { writeReportFile } = await import('../../report/write-report-file.js');
          await writeReportFile(
            path.dirname(opts.shardOut),
            path.basename(opts.shardOut),
            JSON.stringify(result),
          );
        } else await report(result);
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        for (const d of disposers) await d().catch(() => undefined);
        await serverFaults.close();
        await closeBrowser();
        await database.close();
      }
    });
}
