import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Process-wide registry of live stacks so SIGINT/SIGTERM tear everything down (style.md anti-pattern 1),
 * and, as a last resort, `process.on('exit')` releases what is left synchronously: child processes
 * SIGKILLed, containers removed (`docker rm -f`), temp dirs deleted.
 */
export interface Interruptible {
  /** Aborts a start in progress and stops everything; resolves when done. */
  interrupt(reason: string): Promise<void>;
}

/** What can be released without awaiting, for the 'exit' handler. */
export type SyncResource =
  | { readonly kind: 'pid'; readonly pid: number }
  | { readonly kind: 'container'; readonly id: string }
  | { readonly kind: 'dir'; readonly path: string };

const owners = new Set<Interruptible>();
const resources = new Set<SyncResource>();
let installed = false;

let interrupting = false;
/** Set by a command that decides the exit itself (`ichiren run` writes its reports first). */
let exitOwnedByCaller = false;

/**
 * The registry still stops every stack on a signal, but neither re-raises it nor exits on a second
 * one: the caller exits (130) when its work is saved. Returns the undo.
 */
export function leaveSignalExitToCaller(): () => void {
  exitOwnedByCaller = true;
  return () => {
    exitOwnedByCaller = false;
  };
}

function onSignal(signal: NodeJS.Signals): void {
  if (interrupting) {
    if (exitOwnedByCaller) return;
    // A second signal while tearing down: release what is left at once and go (130, as for SIGINT:
    // the one exit code of an interrupted ichiren (docs/reports.md), whichever signal).
    releaseSync();
    process.exit(130);
  }
  interrupting = true;
  // Our handlers stay installed meanwhile: other libraries' handlers (signal-exit, used by execa)
  // kill the process when they see themselves alone, which would cut the teardown short.
  const all = [...owners].map((o) => o.interrupt(`received ${signal}`).catch(() => {}));
  void Promise.all(all).finally(() => {
    // Then the signal goes on as if we had not been there, after the pending promise jobs so the
    // aborted startStack's rejection still reaches its handler first.
    setImmediate(() => {
      interrupting = false;
      if (!exitOwnedByCaller) {
        // The process dies by the signal, and then no 'exit' event runs: release what no owner
        // stopped (a resource tracked on its own, e.g. a test PostgreSQL) now.
        releaseSync();
        uninstall();
        process.kill(process.pid, signal);
      } else uninstall();
    });
  });
}

function onExit(): void {
  releaseSync();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('exit', onExit);
}

export function registerOwner(owner: Interruptible): () => void {
  owners.add(owner);
  install();
  return () => {
    owners.delete(owner);
    if (owners.size === 0 && resources.size === 0) uninstall();
  };
}

/** Tracks a resource until the returned function is called (its orderly stop ran). */
export function trackResource(resource: SyncResource): () => void {
  resources.add(resource);
  install();
  return () => {
    resources.delete(resource);
    if (owners.size === 0 && resources.size === 0) uninstall();
  };
}

/** Releases every tracked resource synchronously; processes first, then containers, then dirs. */
export function releaseSync(): void {
  const list = [...resources];
  resources.clear();
  for (const r of list) {
    if (r.kind === 'pid') {
      try {
        process.kill(r.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const r of list) {
    if (r.kind === 'container') spawnSync('docker', ['rm', '-f', r.id], { stdio: 'ignore', timeout: 10_000 });
  }
  for (const r of list) {
    if (r.kind === 'dir') rmSync(r.path, { recursive: true, force: true });
  }
}

/** For tests: how many owners and resources are live. */
export function registrySize(): { owners: number; resources: number } {
  return { owners: owners.size, resources: resources.size };
}

/** For tests and diagnostics: the resources tracked now (e.g. the server's PID). */
export function trackedResources(): readonly SyncResource[] {
  return [...resources];
}
