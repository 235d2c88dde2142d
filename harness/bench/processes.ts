import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Processes of a benchmark: start one with its output in a log file and wait for its ready line,
 * stop it, and read the CPU time it (or a PostgreSQL cluster) has used, from /proc (Linux only:
 * elsewhere the CPU figures are undefined and the bench prints "n/a").
 */

let clockTicks: number | undefined;
const ticksPerSecond = () => {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
};

/** Fields after "(comm)" of /proc/<pid>/stat: [0] state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds of a process so far, with its reaped children's. */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  const f = pid === undefined ? undefined : statFields(pid);
  if (!f) return undefined;
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / ticksPerSecond();
}

/** CPU seconds of a PostgreSQL cluster: the postmaster (with exited backends) and its live children. */
export function postgresCpuSeconds(dataDir: string): number | undefined {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  let total = cpuSecondsOf(postmaster);
  if (total === undefined) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[1]) === postmaster) total += cpuSecondsOf(Number(entry)) ?? 0;
  }
  return total;
}

export interface LoggedProcess {
  readonly child: ChildProcess;
  /** The first match of the ready pattern in the output. */
  readonly ready: RegExpExecArray;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `node args…` with stdout and stderr appended to `logFile` (as a deployment logs to a file:
 * nothing in this process reads them while it measures) and waits until the output matches `ready`.
 */
export async function startLogged(
  args: string[],
  env: Record<string, string>,
  logFile: string,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<LoggedProcess> {
  const fd = openSync(logFile, 'a');
  const child = spawn('node', args, { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = ready.exec(readFileSync(logFile, 'utf8'));
    if (match) return { child, ready: match, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-5).join(' | ');
      throw new Error(`node ${args.join(' ')} did not become ready: ${tail}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
