import { renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { type Command, Option } from 'commander';
import { interruptedAfterCells, rewriteAfterLateSignal } from '../late-signal.js';
import { UsageError } from '../main.js';
import { shellQuote } from '../shell-quote.js';
import { INTERRUPTED_EXIT_CODE, noteInterrupt, takeEarlySignal } from '../signals.js';

const TARGETS = ['embedded', 'process', 'container', 'url'] as const;

function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

/** `--hersys-listen 8090` or `0.0.0.0:8090`. */
function hersysListen(value: string | undefined): { host?: string; port?: number } {
  if (value === undefined) return {};
  const m = /^(?:(.+):)?(\d{1,5})$/.exec(value);
  const port = Number(m?.[2]);
  if (!m || port > 65535) throw new UsageError(`--hersys-listen must be [host:]port, got "${value}"`);
  return { ...(m[1] ? { host: m[1] } : {}), port };
}

/** A PEM file path or the key itself (PEM or base64 SPKI), as `export inspect --public-key` takes it. */
async function readKeyOption(value: string): Promise<string> {
  if (value.includes('BEGIN') || /^[A-Za-z0-9+/=]{60,}$/.test(value)) return value;
  const { readFile } = await import('node:fs/promises');
  return readFile(value, 'utf8').catch(() => {
    throw new UsageError(`--verification-key: cannot read ${value} (give a PEM file or base64 SPKI)`);
  });
}

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');

/** argv with `--now <run clock>` (replacing any given), so the reproduce line pins the clock. */
export function withNow(argv: readonly string[], runNow: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--now') i++;
    else if (!a.startsWith('--now=')) out.push(a);
  }
  return [...out, '--now', iso(runNow)];
}

/** `--seeds 1..200` (or a single seed) → [1, …, 200]; at most 10 000 seeds. */
export function seedRange(value: string): number[] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(value.trim());
  const from = Number(m?.[1]);
  const to = m?.[2] === undefined ? from : Number(m[2]);
  if (!m || to < from || to > 2 ** 32 - 1 || to - from >= 10_000)
    throw new UsageError(`--seeds must be a range like 1..200 (at most 10000 seeds), got "${value}"`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Options whose values are secrets: the report's command line shows them as "***". */
const SECRET_OPTIONS = ['--publish-token', '--api-secret'];
const redact = (argv: readonly string[]) =>
  argv.map((a, i) => {
    const eq = SECRET_OPTIONS.find((o) => a.startsWith(`${o}=`));
    if (eq) return `${eq}=***`;
    return SECRET_OPTIONS.includes(argv[i - 1] ?? '') ? '***' : a;
  });

/**
 * How a url target's export batch runs: POST --publish-url (with the bearer token, if any), run
 * --publish-command, or poll list.json for up to --publish-timeout.
 */
function publishStep(o: {
  url?: string;
  command?: string;
  token?: string;
  timeoutMs: number;
}): import('../../stack/options.js').PublishStep {
  if (o.url)
    return { http: { url: o.url, ...(o.token ? { headers: { authorization: `Bearer ${o.token}` } } : {}) } };
  if (o.command) return { command: o.command };
  return { poll: { deadlineMs: o.timeoutMs } };
}

/**
 * `ichiren run [paths…]`: loads scenarios, compiles them for a release, starts the stack, runs every
 * cell and reports. Exit 0 when every expectation holds, 1 when any fails, 2 for usage or scenario
 * errors (file:line:col), 130 when interrupted.
 */
export function register(program: Command): void {
  program
    .command('run')
    .description(
      'run scenarios end to end: contact → diagnosis → upload → publish → download → match → score → notify',
    )
    .argument('[paths...]', 'scenario files or folders', ['scenarios'])
    .option('--release <name|file>', 'release: a name in fixtures/releases or a YAML file', 'latest')
    .option('--target <kind>', `server target: ${TARGETS.join('|')} (default: the release's)`)
    .option(
      '--server-url <url>',
      'root URL of a deployed server: API below /api, files below /c19r (target url)',
    )
    .option('--verification-key <pem|base64>', 'export signing public key of a deployed server (target url)')
    .option('--api-secret <value>', 'x-functions-key of a deployed server (target url)')
    .option(
      '--hersys-listen <[host:]port>',
      'fixed address of the dummy HER-SYS (a deployed server is configured with http://<address>/api/verify)',
    )
    .option('--server-image <image>', 'container image of the server (target container)')
    .option('--server-command <cmd>', 'command that starts the server (target process)')
    .option('--publish-url <url>', 'URL to POST to run the export batch (non-reference servers)')
    .option(
      '--publish-token <token>',
      'bearer token sent with --publish-url (or env ICHIREN_PUBLISH_TOKEN; never shown in reports)',
    )
    .option(
      '--publish-timeout <ms>',
      'how long one publish of a url target may take: the call, the command or polling list.json',
      '60000',
    )
    .option('--publish-command <cmd>', 'command that runs the export batch (non-reference servers)')
    .option('--app <build>', 'app build of every phone (overrides the release)')
    .option(
      '--app-command <command>',
      'an external app of every phone, speaking the app protocol (docs/app-protocol.md); overrides the release',
    )
    .option('--app-cwd <dir>', 'working directory of --app-command (default: the current one)')
    .option('--platform <list>', 'receiving platforms to run: android,ios', 'android,ios')
    .option('--grep <regex>', 'run only scenarios/cells whose id, title or tag matches')
    .option('--seed <n>', 'seed of every simulated thing', '1')
    .option(
      '--seeds <from..to>',
      'run the library once per seed (e.g. 1..200) and count, per scenario, the seeds it passed on',
    )
    .option(
      '--jobs <n>',
      'with --seeds: processes sharing the seeds (one core each)',
      String(Math.min(4, os.availableParallelism())),
    )
    .option(
      '--every-cell',
      'with --seeds: run every cell on every seed, also those no draw of the seed can move (by default run on the first seed only)',
    )
    .addOption(
      new Option('--sweep-out <file>', "where a sweep process writes its seeds' outcomes").hideHelp(),
    )
    .option(
      '--now <ISO time>',
      "the run's clock, e.g. 2026-12-01T03:00Z (default: the machine's); verdicts do not depend on its hour",
    )
    .option('--report-dir <dir>', 'where reports go', 'reports')
    .option('--workers <n>', 'cells run in parallel (cells that mostly wait run beside them)', '4')
    .option('--step-timeout <ms>', 'deadline of each step', '15000')
    .option('--reporter <names>', 'reporters, comma-separated (terminal,json,junit,html,pdf)')
    .action(async (paths: string[], opts: Record<string, string | undefined>) => {
      // First signal (SIGINT or SIGTERM, also one caught while the CLI loaded): start no more cells,
      // write the 'interrupted' reports, stop the stack, exit 130. The stack registry stops the stack
      // meanwhile but leaves the exit to us. A second signal exits 130 at once: reports are written
      // atomically, so each file is then the previous complete one or the new complete one.
      const controller = new AbortController();
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(INTERRUPTED_EXIT_CODE);
        noteInterrupt();
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      if (takeEarlySignal()) onSignal();
      const { leaveSignalExitToCaller } = await import('../../stack/registry.js');
      leaveSignalExitToCaller();
      const seed = intOption('seed', opts.seed, 0, 2 ** 32 - 1) as number;
      const workers = intOption('workers', opts.workers, 1, 64) as number;
      const jobs = intOption('jobs', opts.jobs, 1, 64) as number;
      const stepTimeoutMs = intOption('step-timeout', opts.stepTimeout, 100, 600_000) as number;
      const publishTimeoutMs = intOption('publish-timeout', opts.publishTimeout, 1000, 3_600_000) as number;
      const publishToken = opts.publishToken ?? process.env.ICHIREN_PUBLISH_TOKEN;
      if (opts.publishToken && !opts.publishUrl) throw new UsageError('--publish-token needs --publish-url');
      if (opts.target !== undefined && !(TARGETS as readonly string[]).includes(opts.target)) {
        throw new UsageError(`--target must be one of ${TARGETS.join(', ')}, got "${opts.target}"`);
      }
      const platforms = (opts.platform ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      for (const p of platforms)
        if (p !== 'android' && p !== 'ios')
          throw new UsageError(`--platform must list android and/or ios, got "${p}"`);
      let grep: RegExp | undefined;
      try {
        grep = opts.grep ? new RegExp(opts.grep) : undefined;
      } catch {
        throw new UsageError(`--grep must be a regular expression, got "${opts.grep}"`);
      }
      const { parseRunNow } = await import('../../scenario/anchor.js');
      const runNowGiven = opts.now === undefined ? undefined : parseRunNow(opts.now);
      if (runNowGiven === null)
        throw new UsageError(
          `--now must be an ISO 8601 time with a zone, e.g. 2026-12-01T03:00Z, got "${opts.now}"`,
        );
      const seeds = opts.seeds === undefined ? undefined : seedRange(opts.seeds);
      if (opts.appCommand !== undefined) {
        if (opts.app !== undefined) throw new UsageError('give --app or --app-command, not both');
        const { registerExternalApp } = await import('../../devices/app-protocol/open.js');
        const cwd = opts.appCwd === undefined ? undefined : (await import('node:path')).resolve(opts.appCwd);
        opts.app = registerExternalApp({ command: opts.appCommand, ...(cwd ? { cwd } : {}) });
      }
      const { ScenarioErrors, compilePlan, loadRelease, loadScenarios } = await import(
        '../../scenario/index.js'
      );
      // One clock for the whole stack (architecture.md "Time"). A deployed server keeps its own: the
      // run reads it from the server's Date header and runs the phones and HER-SYS on it.
      let deployed = (opts.target ?? (opts.serverUrl ? 'url' : undefined)) === 'url';
      let runNow = runNowGiven ?? Math.floor(Date.now() / 1000);
      let plan: import('../../scenario/plan.js').Plan;
      let release: import('../../scenario/release.js').Release;
      let compileFor: (seed: number, at?: number) => import('../../scenario/plan.js').Plan;
      try {
        release = await loadRelease(opts.release ?? 'latest');
        const serverUrlOfRun = opts.serverUrl ?? release.server.url;
        const clockFixed =
          deployed ||
          (opts.target === undefined &&
            !opts.serverImage &&
            !opts.serverCommand &&
            release.server.target === 'url');
        deployed = clockFixed;
        if (deployed && runNowGiven !== undefined)
          throw new UsageError(
            "--now cannot set a deployed server's clock (target url): the run reads it from the server",
          );
        if (clockFixed && serverUrlOfRun) {
          const { serverDate } = await import('../../stack/clock.js');
          runNow = Math.floor(
            (await serverDate(`${serverUrlOfRun.replace(/\/$/, '')}/`).catch((e: Error) => {
              throw new UsageError(`cannot read the deployed server's clock: ${e.message}`);
            })) / 1000,
          );
        }
        const scenarios = await loadScenarios(paths.length > 0 ? paths : ['scenarios']);
        const loadedRelease = release;
        compileFor = (s: number, at = runNow) =>
          compilePlan(scenarios, {
            release: loadedRelease,
            seed: s,
            nowEpochSeconds: at,
            ...(clockFixed ? { fixedClock: true } : {}),
            ...(opts.app ? { app: opts.app } : {}),
            platforms: platforms as ('android' | 'ios')[],
            ...(grep ? { grep } : {}),
          });
        plan = compileFor(seeds?.[0] ?? seed);
      } catch (e) {
        if (e instanceof ScenarioErrors) throw new UsageError(`invalid scenario or release\n${e.message}`);
        throw e;
      }
      if (plan.scenarios.length === 0)
        throw new UsageError('no scenario cell matches (check paths, --grep and --platform)');
      // Every app is loaded before anything starts: an unknown build is a usage error, not 144 failures.
      const { selectApplicable } = await import('../../runner/applicability.js');
      const { AppBuildError, loadAppBuild } = await import('../../devices/apps/index.js');
      const appProtocol = await import('../../devices/app-protocol/index.js');
      // An external app is started and asked for its claims (handshake) before any cell runs.
      const loadApp = async (id: string) =>
        appProtocol.isExternalApp(id)
          ? (await appProtocol.openExternalApp(id)).declaration
          : loadAppBuild(id);
      let notApplicable: Awaited<ReturnType<typeof selectApplicable>>['notApplicable'];
      try {
        // A deployed server is shared by every cell: scenarios that need a server of their own are skipped.
        const stackTraits = deployed ? [] : undefined;
        ({ plan, notApplicable } = await selectApplicable(plan, loadApp, stackTraits));
      } catch (e) {
        if (e instanceof AppBuildError) throw new UsageError(e.message);
        if (e instanceof appProtocol.AppProtocolError) {
          await appProtocol.closeExternalApps();
          throw new UsageError(e.message);
        }
        throw e;
      }
      if (plan.scenarios.length === 0)
        throw new UsageError(
          `no scenario applies to these apps: ${notApplicable.map((n) => `${n.cell} needs ${n.missing.join(', ')}`).join('; ')}`,
        );

      // A server option names its target; --target is needed only to override a release's choice.
      const impliedTarget = opts.serverUrl
        ? 'url'
        : opts.serverImage
          ? 'container'
          : opts.serverCommand
            ? 'process'
            : undefined;
      const target = (opts.target ?? impliedTarget ?? release.server.target) as (typeof TARGETS)[number];
      const serverUrl = opts.serverUrl ?? release.server.url;
      const serverCommand = opts.serverCommand ?? release.server.command;
      const serverImage = opts.serverImage ?? release.server.image;
      if (target === 'url' && !serverUrl) throw new UsageError('--target url needs --server-url');
      const stackOptions = {
        target,
        // Behaviour and configuration set belong to the reference server, never to a deployed one.
        ...(target !== 'url' && release.server.behaviour
          ? { serverBehaviour: release.server.behaviour }
          : {}),
        ...(target !== 'url' && release.server.configurationSet
          ? { configurationSet: release.server.configurationSet }
          : {}),
        ...(serverUrl ? { serverUrl } : {}),
        ...(serverCommand ? { serverCommand } : {}),
        ...(serverImage ? { serverImage } : {}),
        ...(opts.verificationKey ? { verificationKey: await readKeyOption(opts.verificationKey) } : {}),
        ...(opts.apiSecret ? { apiSecret: opts.apiSecret } : {}),
        ...(opts.publishUrl || opts.publishCommand || target === 'url'
          ? {
              publish: publishStep({
                url: opts.publishUrl,
                command: opts.publishCommand,
                token: publishToken,
                timeoutMs: publishTimeoutMs,
              }),
              publishTimeoutMs,
            }
          : {}),
        hersys: { seed, ...hersysListen(opts.hersysListen) },
        // Every part the run starts reads the run's clock, from --now on (harness/stack/clock.ts).
        ...(target === 'url' ? {} : { nowMs: runNow * 1000 }),
      };

      // A sweep over several processes: each sweeps a range of the seeds on the run's clock.
      if (seeds && jobs > 1 && seeds.length > 1 && !opts.sweepOut) {
        await (await import('../../devices/app-protocol/open.js')).closeExternalApps();
        await sweepOnProcesses(
          seeds,
          jobs,
          deployed ? process.argv.slice(2) : withNow(process.argv.slice(2), runNow),
        );
        return;
      }

      const { createReporters, DEFAULT_REPORTERS, UnknownReporterError } = await import(
        '../../report/index.js'
      );
      const names = opts.reporter
        ? opts.reporter
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [...DEFAULT_REPORTERS];
      // A missing browser, font or Docker engine stops the run, in one line (exit 1). The checks (a
      // browser's --version, a font file) run while the stack starts, except Docker's: the container
      // target's stack needs Docker to start at all.
      const { preflight } = await import('../../environment/preflight.js');
      const webScreen = plan.scenarios.some((s) =>
        s.cells.some((c) => c.steps.some((st) => st.kind === 'diagnose' && st.via === 'web-screen')),
      );
      const needs = {
        browser: webScreen || names.includes('pdf'),
        font: names.includes('html') || names.includes('pdf'),
        docker: target === 'container',
      };
      const checkedFirst = needs.docker ? await preflight(needs) : undefined;
      const { startStack, realDeps } = await import('../../runner/wiring.js');
      const { DEFAULT_SERVER_COMMAND, DEFAULT_SERVER_IMAGE } = await import('../../stack/index.js');
      const { interruptedBeforeStart, runPlan } = await import('../../runner/run-plan.js');
      // The stack starts while the environment is checked and the reporters load (not at all once
      // interrupted); a missing piece or a bad reporter name still stops it again.
      // A seed sweep on the embedded target gives every seed a stack of its own, so a seed's verdicts
      // are those of `ichiren run --seed s`: nothing one seed published or issued is seen by the next.
      // One database (emptied back to its migrated state per stack) and one browser serve them all.
      // A process, container or deployed server is started (or reached) once for the whole sweep.
      const freshStackPerSeed = seeds !== undefined && target === 'embedded';
      let sweepDatabase: Promise<import('../../../server/database/reusable.js').ReusableDatabase> | undefined;
      const stackOptionsFor = (s: number) =>
        freshStackPerSeed
          ? {
              ...stackOptions,
              hersys: { ...stackOptions.hersys, seed: s },
              serverDatabase: async () => {
                sweepDatabase ??= import('../../../server/database/reusable.js').then((m) =>
                  m.openReusableDatabase(),
                );
                return (await sweepDatabase).lease();
              },
            }
          : stackOptions;
      const closeSweepDatabase = async () => {
        await (await sweepDatabase?.catch(() => undefined))?.close();
      };
      const stackStarting = controller.signal.aborted
        ? undefined
        : startStack(stackOptionsFor(seeds?.[0] ?? seed));
      stackStarting?.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      let environment: Awaited<ReturnType<typeof preflight>>;
      let reporters: ReturnType<typeof createReporters>;
      try {
        environment = checkedFirst ?? (await preflight(needs));
        reporters = createReporters(names, { reportDir: opts.reportDir ?? 'reports' });
      } catch (e) {
        await stackStarting?.then(
          (started) => started.stop(),
          () => undefined,
        );
        await closeSweepDatabase();
        if (e instanceof UnknownReporterError) throw new UsageError(e.message);
        throw e;
      }

      const pkg = (await import('../../../package.json', { with: { type: 'json' } })).default as {
        version: string;
      };
      const detail =
        target === 'embedded'
          ? `reference server (${release.server.behaviour ?? 'default'})`
          : (serverUrl ??
            serverCommand ??
            serverImage ??
            (target === 'process' ? DEFAULT_SERVER_COMMAND : DEFAULT_SERVER_IMAGE));
      const metadata = {
        ichirenVersion: pkg.version,
        seed,
        release: release.name,
        target: { kind: target, detail },
        ...(target === 'embedded' && release.server.behaviour
          ? { serverBehaviour: release.server.behaviour }
          : {}),
        apps: { android: opts.app ?? release.apps.android, ios: opts.app ?? release.apps.ios },
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        ...environment,
        // The reproduce line always names the run's clock (and never a secret).
        // (A deployed server's clock is its own: no --now there.)
        command: [
          'ichiren',
          ...redact(deployed ? process.argv.slice(2) : withNow(process.argv.slice(2), runNow)),
        ]
          .map(shellQuote)
          .join(' '),
        clock: {
          now: iso(runNow),
          scenarioNow: iso(plan.nowEpochSeconds),
          source: target === 'url' ? ('deployed-server' as const) : ('run' as const),
        },
        ...(notApplicable.length > 0 ? { notApplicable } : {}),
      };
      const startedAt = new Date();
      const { startFaultProxy } = await import('../../faults/server-proxy.js');
      // A sweep's stacks share one browser, launched before the first cell (an environment error then).
      let sweepBrowserStarted: Promise<import('playwright').Browser> | undefined;
      const sweepBrowser = freshStackPerSeed
        ? async () => {
            sweepBrowserStarted ??= import('../../browser/chromium.js').then((m) => m.launchRunChromium());
            return sweepBrowserStarted;
          }
        : undefined;
      // The run's own browser launches while the stack starts.
      const browserLaunching =
        !sweepBrowser && webScreen && stackStarting
          ? import('../../browser/chromium.js').then((m) => m.launchRunChromium())
          : undefined;
      browserLaunching?.catch(() => undefined); // awaited by realDeps; not an unhandled rejection meanwhile
      const browserOption = sweepBrowser
        ? { sharedBrowser: sweepBrowser }
        : browserLaunching
          ? { launchedBrowser: browserLaunching }
          : {};
      let stack: Awaited<ReturnType<typeof startStack>> | undefined;
      let serverFaults: Awaited<ReturnType<typeof startFaultProxy>> | undefined;
      let deps: import('../../runner/deps.js').RunnerDeps | undefined;
      /** The result the report files carry, once written. */
      let written: import('../../runner/results.js').RunResult | undefined;
      try {
        try {
          stack = await stackStarting;
          if (stack) serverFaults = await startFaultProxy();
        } catch (e) {
          // A start cut short by the interrupt is no error of the run: its cells simply did not run.
          if (!controller.signal.aborted) throw e;
        }
        const runOptions = {
          workers,
          stepTimeoutMs,
          // A url target's publish may wait for the server's own batch: its budget, then the step's.
          ...(target === 'url' ? { publishTimeoutMs: publishTimeoutMs + stepTimeoutMs } : {}),
          signal: controller.signal,
        };
        let result: import('../../runner/results.js').RunResult;
        if (stack && serverFaults && !controller.signal.aborted) {
          // The phones read the stack's clock, which the runner moves (runner/clock.ts).
          deps = { ...(await realDeps(stack, browserOption)), serverFaults };
          if (seeds) {
            // Each seed compiles its own cell seeds and runs quietly, on a stack of its own (embedded).
            const { formatSeedSweep, runSeedSweep, seedLine } = await import('../../runner/seed-sweep.js');
            const faults = serverFaults;
            if (webScreen) await sweepBrowser?.();
            const outcomes: import('../../runner/seed-sweep.js').SeedOutcome[] = [];
            const sweep = await runSeedSweep(
              seeds,
              async (s, reuse) => {
                if (controller.signal.aborted) return null;
                if (freshStackPerSeed && s !== seeds[0]) {
                  await deps?.dispose?.();
                  deps = undefined;
                  await stack?.stop();
                  stack = undefined;
                  stack = await startStack(stackOptionsFor(s));
                  deps = {
                    ...(await realDeps(stack, browserOption)),
                    serverFaults: faults,
                  };
                }
                // A fresh stack starts at the run's clock, as in a run of that seed alone; a shared one
                // has moved on (clocks never go back), so the seed's scenarios stand at its next now.
                const seedDeps = deps as typeof deps & object;
                const at = freshStackPerSeed ? runNow : Math.floor(seedDeps.stack.clock.now() / 1000);
                const seeded = (
                  await selectApplicable(compileFor(s, at), loadAppBuild, deployed ? [] : undefined)
                ).plan;
                const run = await runPlan(seeded, seedDeps, {
                  ...runOptions,
                  metadata: { ...metadata, seed: s },
                  reuse,
                });
                return run.status === 'interrupted' ? null : run;
              },
              (outcome) => {
                outcomes.push(outcome);
                // A sweep process of several (seed-processes.ts): the parent tallies and prints the
                // table. Written as each seed ends, whole, so a seed whose line is printed is never lost.
                if (opts.sweepOut) writeOutcomes(opts.sweepOut, outcomes);
                process.stdout.write(`${seedLine(outcome)}\n`);
              },
              { everyCell: Boolean(opts.everyCell) },
            );
            if (!opts.sweepOut) process.stdout.write(`\n${formatSeedSweep(sweep)}`);
            process.exitCode = controller.signal.aborted
              ? INTERRUPTED_EXIT_CODE
              : sweep.deterministicHeld
                ? 0
                : 1;
            return;
          }
          result = await runPlan(plan, deps, { ...runOptions, hooks: reporters, metadata });
        } else {
          result = interruptedBeforeStart(plan, { startedAt, metadata });
        }
        // A signal after the last cell but before the reports: the cells all ran, the run did not end.
        if (controller.signal.aborted) result = interruptedAfterCells(result);
        await reporters.onEnd(result);
        written = result;
        // … or while they were written: they are written again.
        written = await rewriteAfterLateSignal(written, controller.signal, reporters, process.stderr);
        const reporterFailed = reporters.errors().length > 0;
        process.exitCode =
          written.status === 'interrupted'
            ? INTERRUPTED_EXIT_CODE
            : result.status === 'passed' && !reporterFailed
              ? 0
              : 1;
      } finally {
        await deps?.dispose?.().catch(() => undefined);
        // External app processes (one per command for the run): stopped before the stack.
        await (await import('../../devices/app-protocol/open.js')).closeExternalApps();
        await serverFaults?.close();
        await stack?.stop();
        await closeSweepDatabase();
        await (await sweepBrowserStarted?.catch(() => undefined))?.close();
        // Launched, but the stack never came up: no deps took the browser over.
        if (!deps) await (await browserLaunching?.catch(() => undefined))?.close();
        // A signal during the teardown still ends the run as interrupted, and its reports say so.
        if (controller.signal.aborted) {
          process.exitCode = INTERRUPTED_EXIT_CODE;
          if (written) await rewriteAfterLateSignal(written, controller.signal, reporters, process.stderr);
        }
      }
    });
}

/**
 * `--seeds` with `--jobs` > 1: runs the seeds' ranges on as many processes (seed-processes.ts),
 * tallies what they wrote and prints the table. Exit as one sweep would: 130 when interrupted, the
 * first process's error code when one failed, else 1 unless the deterministic scenarios held.
 */
async function sweepOnProcesses(
  seeds: readonly number[],
  jobs: number,
  argv: readonly string[],
): Promise<void> {
  const { formatSeedSweep, SeedTallies } = await import('../../runner/seed-sweep.js');
  const { runSeedProcesses } = await import('../../runner/seed-processes.js');
  // Ctrl-C reaches the sweep processes too (one process group): each stops and writes the seeds it
  // finished. A signal sent to this process alone reaches them as SIGTERM after a grace (5 s), not at once:
  // a second signal would make a process leave without writing.
  const controller = new AbortController();
  let interrupted = false;
  let grace: NodeJS.Timeout | undefined;
  const onSignal = () => {
    interrupted = true;
    grace ??= setTimeout(() => controller.abort(), SWEEP_SIGNAL_GRACE_MS);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { outcomes, exitCodes } = await runSeedProcesses({
      entry: process.argv[1] ?? 'bin/ichiren.js',
      argv,
      seeds,
      count: jobs,
      signal: controller.signal,
    });
    const tallies = new SeedTallies();
    for (const o of outcomes) tallies.add(o);
    const sweep = tallies.result();
    process.stdout.write(`\n${formatSeedSweep(sweep)}`);
    const failed = exitCodes.find((c) => c !== 0 && c !== 1);
    process.exitCode =
      interrupted || exitCodes.includes(INTERRUPTED_EXIT_CODE)
        ? INTERRUPTED_EXIT_CODE
        : (failed ?? (sweep.deterministicHeld && outcomes.length === seeds.length ? 0 : 1));
  } finally {
    clearTimeout(grace);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

const SWEEP_SIGNAL_GRACE_MS = 5000;

/** Replaces `file` with the outcomes so far in one rename: a reader sees the previous whole file or this one. */
function writeOutcomes(
  file: string,
  outcomes: readonly import('../../runner/seed-sweep.js').SeedOutcome[],
): void {
  writeFileSync(`${file}.tmp`, JSON.stringify({ outcomes }));
  renameSync(`${file}.tmp`, file);
}
