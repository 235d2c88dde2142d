import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Each Chromium gets a TMPDIR of its own, removed once no process of that browser is left. Chromium
 * writes there itself: with Playwright's --disable-dev-shm-usage its shared memory is
 * `.org.chromium.Chromium.XXXXXX` files, each created and unlinked at once, so a helper killed in
 * between leaves one behind. And its helpers (zygotes, renderers, GPU, network service) outlive the
 * browser process that Playwright waits for on close. So the folder goes only after every process of
 * the browser's process group has ended (Playwright starts the browser as a group leader; helpers
 * rewrite their command line over their environment, so only the browser itself shows the TMPDIR).
 * On the process exit path they are killed first.
 */
export interface BrowserTempDir {
  readonly path: string;
  /** Notes the process group of the browser started with this TMPDIR (call while it runs). */
  adoptProcesses(): void;
  /** The live processes of the browser: the groups noted so far and any led from the folder now. */
  processes(): number[];
  /** Waits for the browser's processes to end (killing stragglers), then removes the folder. */
  release(): Promise<void>;
  /** The process exit path: kills the processes, waits for them synchronously, removes the folder. */
  releaseSync(): void;
}

/** How long helpers may take to end by themselves after the browser closed, before SIGKILL. */
const GRACE_MS = 3_000;
/** How long killed processes may take to be gone (they finish the system call they are in). */
const KILL_WAIT_MS = 2_000;
const POLL_MS = 25;

/** Folders not released yet, with the process groups of their browsers. */
const live = new Map<string, Set<number>>();

interface ProcessEntry {
  readonly pid: number;
  readonly group: number;
  readonly live: boolean;
}

/** Every process with its group and whether it still runs (a zombie does not); Linux /proc only. */
function processTable(): ProcessEntry[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const table: ProcessEntry[] = [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.push({ pid: Number(pid), group: Number(group), live: state !== 'Z' && state !== 'X' });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

function startedWithTmpdir(pid: number, dir: string): boolean {
  try {
    const env = readFileSync(`/proc/${pid}/environ`); // another user's: EACCES
    const at = env.indexOf(`TMPDIR=${dir}\0`);
    return at === 0 || (at > 0 && env[at - 1] === 0);
  } catch {
    return false;
  }
}

/**
 * Process groups led by a live process started with `TMPDIR=dir`. A process that is no group
 * leader adds nothing: killing its group could kill unrelated processes (this one among them).
 */
export function groupsUsing(dir: string, table = processTable()): Set<number> {
  const own = table.find((p) => p.pid === process.pid)?.group;
  return new Set(
    table
      .filter((p) => p.live && p.pid === p.group && p.group !== own && startedWithTmpdir(p.pid, dir))
      .map((p) => p.pid),
  );
}

/** Live (non-zombie) processes of these groups. */
export function membersOf(groups: ReadonlySet<number>, table = processTable()): number[] {
  return table.filter((p) => p.live && groups.has(p.group)).map((p) => p.pid);
}

function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The processes of the folder's browser: the groups noted before and any led from it now. */
function processesOf(dir: string, groups: Set<number>): number[] {
  const table = processTable();
  for (const g of groupsUsing(dir, table)) groups.add(g);
  return membersOf(groups, table);
}

async function endedWithin(dir: string, groups: Set<number>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (processesOf(dir, groups).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The 'exit' path (no awaiting): kill every process of the folder, wait for them, remove it. */
function releaseSync(dir: string, groups: Set<number>): void {
  live.delete(dir);
  killAll(processesOf(dir, groups));
  const deadline = Date.now() + KILL_WAIT_MS;
  while (processesOf(dir, groups).length > 0 && Date.now() < deadline) sleepSync(POLL_MS);
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // the process is ending: an error here would only replace its exit code
  }
}

function releaseAllSync(): void {
  for (const [dir, groups] of [...live]) releaseSync(dir, groups);
}

/** A fresh folder under the process's temp directory, released on process exit at the latest. */
export function createBrowserTempDir(parent = tmpdir(), timing: { graceMs?: number } = {}): BrowserTempDir {
  const dir = mkdtempSync(path.join(parent, 'ichiren-chromium-'));
  const groups = new Set<number>();
  if (live.size === 0) process.on('exit', releaseAllSync);
  live.set(dir, groups);
  let releasing: Promise<void> | undefined;
  return {
    path: dir,
    adoptProcesses() {
      for (const g of groupsUsing(dir)) groups.add(g);
    },
    processes: () => processesOf(dir, groups),
    releaseSync: () => releaseSync(dir, groups),
    release() {
      releasing ??= (async () => {
        if (!(await endedWithin(dir, groups, timing.graceMs ?? GRACE_MS))) {
          killAll(processesOf(dir, groups));
          await endedWithin(dir, groups, KILL_WAIT_MS);
        }
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
        live.delete(dir);
        if (live.size === 0) process.off('exit', releaseAllSync);
      })();
      return releasing;
    },
  };
}
