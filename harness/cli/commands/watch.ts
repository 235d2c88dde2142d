import type { Command } from 'commander';
import { UsageError } from '../main.js';

const TARGETS = ['embedded', 'process', 'container', 'url'] as const;

function intOption(name: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Where the history lives: --database-url, DATABASE_URL, else a PGlite directory. */
function historyLocation(opts: Record<string, string | undefined>) {
  const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
  return databaseUrl ? { databaseUrl } : { dir: opts.history ?? '.ichiren/history' };
}

const historyOptions = (cmd: Command) =>
  cmd
    .option('--history <dir>', 'PGlite directory of the history (when no DATABASE_URL)', '.ichiren/history')
    .option('--database-url <url>', 'PostgreSQL history (default: the DATABASE_URL environment variable)');

/**
 * `ichiren watch`: one fixed-point observation per invocation (for cron, a CI schedule, a
 * Kubernetes CronJob), or one every `--every`. Exit 0 every observed series passes, 1 one fails or
 * flaps, 2 usage, 3 no observation could be made (stack, server or history unavailable).
 */
export function register(program: Command): void {
  const watch = program
    .command('watch')
    .description(
      'fixed-point observation (定点観測): observe a deployed environment, keep the history, alert on changes',
    )
    .argument('[paths...]', 'scenario files or folders (the set is the scenarios tagged --tag)', [
      'scenarios',
    ])
    .option('--tag <tag>', 'scenarios with this tag form the observation set ("" = all)', 'observation')
    .option(
      '--release <list>',
      'releases whose phones observe, comma-separated (default: EN v1 and EN v2)',
      'latest,cocoa-1.2.2',
    )
    .option('--target <kind>', `server target: ${TARGETS.join('|')} (default: the release's)`)
    .option('--server-url <url>', 'root URL of the deployed server (target url)')
    .option('--verification-key <pem|base64>', 'export signing public key of a deployed server (target url)')
    .option('--api-secret <value>', 'x-functions-key of a deployed server (target url)')
    .option(
      '--hersys-listen <[host:]port>',
      'fixed address of the dummy HER-SYS the deployed server verifies against',
    )
    .option('--server-image <image>', 'container image of the server (target container)')
    .option('--server-command <cmd>', 'command that starts the server (target process)')
    .option('--publish-url <url>', 'URL to POST to run the export batch (non-reference servers)')
    .option('--publish-command <cmd>', 'command that runs the export batch (non-reference servers)')
    .option('--version-url <url>', 'an endpoint whose body names the deployed server version (recorded)')
    .option('--app <build>', 'app build of every phone (overrides the releases)')
    .option('--platform <list>', 'receiving platforms: android,ios', 'android,ios')
    .option('--seed <n>', 'seed of every simulated thing', '1')
    .option('--workers <n>', 'cells run in parallel', '4')
    .option('--step-timeout <ms>', 'deadline of each step', '15000')
    .option(
      '--webhook <url>',
      'POST a JSON alert here on every change of state (default: ICHIREN_WATCH_WEBHOOK)',
    )
    .option(
      '--daily-summary <HH:MM>',
      'also send one summary a day, at the first observation after HH:MM Japan time',
    )
    .option('--history-url <url>', 'link to the published history page, put into alerts')
    .option('--page <file>', 'write the HTML history page here after each observation')
    .option('--retention <days>', 'drop observations older than this', '90')
    .option('--every <duration>', 'observe repeatedly, e.g. 15m, 1h (default: once)')
    .option('--observer <name>', 'name of this observer in the history (default: host name)')
    .option(
      '--dry-run',
      'list every request an observation will make, rehearsed on a local reference server; record nothing',
    );
  historyOptions(watch).action(async (paths: string[], opts: Record<string, string | undefined>) => {
    if (opts.target !== undefined && !(TARGETS as readonly string[]).includes(opts.target))
      throw new UsageError(`--target must be one of ${TARGETS.join(', ')}, got "${opts.target}"`);
    const platforms = list(opts.platform);
    for (const p of platforms)
      if (p !== 'android' && p !== 'ios')
        throw new UsageError(`--platform must list android and/or ios, got "${p}"`);
    const releases = list(opts.release);
    if (releases.length === 0) throw new UsageError('--release must name at least one release');
    const { parseDuration } = await import('../../watch/duration.js');
    const everyMs = opts.every === undefined ? undefined : parseDuration(opts.every);
    if (everyMs === null)
      throw new UsageError(`--every must be a duration like 30s, 15m, 1h, 1d, got "${opts.every}"`);
    if (opts.dailySummary !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(opts.dailySummary))
      throw new UsageError(`--daily-summary must be HH:MM (Japan time), got "${opts.dailySummary}"`);
    const listen =
      opts.hersysListen === undefined ? undefined : /^(?:(.+):)?(\d{1,5})$/.exec(opts.hersysListen);
    if (listen === null || (listen && Number(listen[2]) > 65535))
      throw new UsageError(`--hersys-listen must be [host:]port, got "${opts.hersysListen}"`);
    const webhook = opts.webhook ?? process.env.ICHIREN_WATCH_WEBHOOK;
    const config = {
      paths,
      tag: opts.tag ?? 'observation',
      releases,
      ...(opts.app ? { app: opts.app } : {}),
      platforms: platforms as ('android' | 'ios')[],
      seed: intOption('seed', opts.seed, 0, 2 ** 32 - 1),
      workers: intOption('workers', opts.workers, 1, 64),
      stepTimeoutMs: intOption('step-timeout', opts.stepTimeout, 100, 600_000),
      ...(opts.target ? { target: opts.target as (typeof TARGETS)[number] } : {}),
      ...(opts.serverUrl ? { serverUrl: opts.serverUrl } : {}),
      ...(opts.serverCommand ? { serverCommand: opts.serverCommand } : {}),
      ...(opts.serverImage ? { serverImage: opts.serverImage } : {}),
      ...(opts.verificationKey ? { verificationKey: opts.verificationKey } : {}),
      ...(opts.apiSecret ? { apiSecret: opts.apiSecret } : {}),
      ...(opts.publishUrl || opts.publishCommand
        ? {
            publish: {
              ...(opts.publishUrl ? { url: opts.publishUrl } : {}),
              ...(opts.publishCommand ? { command: opts.publishCommand } : {}),
            },
          }
        : {}),
      ...(listen ? { hersys: { ...(listen[1] ? { host: listen[1] } : {}), port: Number(listen[2]) } } : {}),
      ...(opts.versionUrl ? { versionUrl: opts.versionUrl } : {}),
      ...(opts.observer ? { observer: opts.observer } : {}),
      history: historyLocation(opts),
      ...(webhook ? { webhook } : {}),
      ...(opts.dailySummary ? { dailySummaryAt: opts.dailySummary } : {}),
      ...(opts.historyUrl ? { historyUrl: opts.historyUrl } : {}),
      ...(opts.page ? { page: opts.page } : {}),
      retentionDays: intOption('retention', opts.retention, 1, 36_500),
      log: (line: string) => process.stdout.write(`${line}\n`),
    };
    const { ScenarioErrors } = await import('../../scenario/index.js');
    const { HistoryError } = await import('../../watch/history/db.js');
    const usage = (e: unknown) => {
      if (e instanceof ScenarioErrors) return new UsageError(`invalid scenario or release\n${e.message}`);
      return e;
    };
    if (opts.dryRun !== undefined) {
      const { dryRun, formatDryRun } = await import('../../watch/dry-run.js');
      try {
        process.stdout.write(formatDryRun(await dryRun(config)));
      } catch (e) {
        throw usage(e);
      }
      process.exitCode = 0;
      return;
    }
    const { watchOnce } = await import('../../watch/watch.js');
    const controller = new AbortController();
    let signals = 0;
    const onSignal = () => {
      if (controller.signal.aborted && ++signals > 1) process.exit(130);
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      for (;;) {
        try {
          const outcome = await watchOnce({ ...config, signal: controller.signal });
          process.exitCode = outcome.exitCode;
        } catch (e) {
          if (e instanceof HistoryError) {
            process.stderr.write(`ichiren: ${e.message}\n`);
            process.exitCode = 3;
          } else throw usage(e);
        }
        if (everyMs === undefined || controller.signal.aborted) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, everyMs);
          controller.signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        });
        if (controller.signal.aborted) break;
      }
      if (controller.signal.aborted) process.exitCode = 130;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  });

  // --history and --database-url are `watch`'s options; `watch history --history DIR` reads them there.
  watch
    .command('history')
    .description('print the state of every observed scenario × platform (or write the HTML page)')
    .option('--html <file>', 'write the HTML history page')
    .option('--json', 'print the series and their states as JSON')
    .option('--lang <ja|en>', 'language of the terminal lines', 'en')
    .action(async (_opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals() as Record<string, string | boolean | undefined>;
      const { openHistory, HistoryError } = await import('../../watch/history/db.js');
      const { loadHistory } = await import('../../watch/history/store.js');
      const { formatHistory } = await import('../../watch/print.js');
      if (opts.lang !== 'ja' && opts.lang !== 'en')
        throw new UsageError(`--lang must be ja or en, got "${opts.lang}"`);
      let db: Awaited<ReturnType<typeof openHistory>>;
      try {
        db = await openHistory(historyLocation(opts as Record<string, string | undefined>));
      } catch (e) {
        if (e instanceof HistoryError) {
          process.stderr.write(`ichiren: ${e.message}\n`);
          process.exitCode = 3;
          return;
        }
        throw e;
      }
      try {
        const series = await loadHistory(db);
        if (typeof opts.html === 'string') {
          const { writeHistoryPage } = await import('../../watch/page/write.js');
          await writeHistoryPage(db, opts.html);
          process.stdout.write(`history page: ${opts.html}\n`);
        }
        if (opts.json) process.stdout.write(`${JSON.stringify(series, null, 2)}\n`);
        else process.stdout.write(formatHistory(series, opts.lang));
        process.exitCode = series.some((s) => s.state.kind === 'failing' || s.state.kind === 'flapping')
          ? 1
          : 0;
      } finally {
        await db.close();
      }
    });
}
