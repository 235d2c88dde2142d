import { execa } from 'execa';

/**
 * Runs `node <entry> <args>`, another ichiren process working for this one (an audit shard, a range
 * of a seed sweep): its output goes to this terminal as it comes; `signal` stops it, and it is killed
 * if it still lingers 10 s later, so that none outlives the run. Never rejects on its exit code.
 */
export function runChildCli(entry: string, args: readonly string[], signal?: AbortSignal) {
  return execa(process.execPath, [entry, ...args], {
    stdout: 'inherit',
    stderr: 'inherit',
    reject: false,
    ...(signal ? { cancelSignal: signal } : {}),
    forceKillAfterDelay: 10_000,
  });
}
