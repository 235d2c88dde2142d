import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createBrowserTempDir, groupsUsing, membersOf } from './temp-dir.js';

const parent = mkdtempSync(path.join(tmpdir(), 'ichiren-temp-dir-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

/**
 * A stand-in browser started as Playwright starts Chromium (TMPDIR=dir, leader of its own process
 * group), with a helper in its group that does not carry the TMPDIR (Chromium's helpers overwrite
 * their environment with their command line). The shell waits for the helper: `seconds` for both.
 */
function browserLike(dir: string, seconds: number): ChildProcess {
  const child = spawn('sh', ['-c', `env -u TMPDIR sleep ${seconds} & wait`], {
    env: { ...process.env, TMPDIR: dir },
    stdio: 'ignore',
    detached: true,
  });
  children.push(child);
  return child;
}

/** Running, or at most a zombie (an orphan that init has not reaped yet). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => c.once('exit', () => r()));

const started = () => new Promise((r) => setTimeout(r, 150)); // the shell has forked its helper

/** Chromium's shared-memory file, as a helper killed between creating and unlinking it leaves it. */
const leftover = (dir: string) => writeFileSync(path.join(dir, '.org.chromium.Chromium.AbC123'), '');

describe.runIf(process.platform === 'linux')("a browser's own temp folder", () => {
  it("finds the browser's process group from its TMPDIR, and every live process in it", async () => {
    const temp = createBrowserTempDir(parent, { graceMs: 100 });
    const browser = browserLike(temp.path, 30);
    const other = browserLike(`${temp.path}-other`, 30);
    await started();
    expect([...groupsUsing(temp.path)]).toEqual([browser.pid]);
    temp.adoptProcesses();
    const members = temp.processes();
    expect(members).toContain(browser.pid);
    expect(members).toHaveLength(2); // and its helper
    // The browser gone, its helper is still found through the group noted before.
    process.kill(browser.pid as number, 'SIGKILL');
    await exited(browser);
    expect(temp.processes()).toHaveLength(1);
    other.kill('SIGKILL');
    await temp.release();
    expect(temp.processes()).toEqual([]);
  });

  it('never adopts a group it does not lead (its own would be killed)', async () => {
    const temp = createBrowserTempDir(parent);
    const child = spawn('sleep', ['30'], { env: { ...process.env, TMPDIR: temp.path }, stdio: 'ignore' });
    children.push(child);
    await started();
    expect(groupsUsing(temp.path).size).toBe(0);
    child.kill('SIGKILL');
    await temp.release();
  });

  it('is removed only after its processes ended by themselves', async () => {
    const temp = createBrowserTempDir(parent);
    const browser = browserLike(temp.path, 0.6);
    await started();
    temp.adoptProcesses();
    leftover(temp.path);
    await temp.release();
    expect(browser.exitCode).toBe(0); // it and its helper ended by themselves, before the folder went
    expect(existsSync(temp.path)).toBe(false);
  });

  it('kills the processes still there after the grace time, then removes the folder', async () => {
    const temp = createBrowserTempDir(parent, { graceMs: 100 });
    const browser = browserLike(temp.path, 60);
    await started();
    temp.adoptProcesses();
    const members = temp.processes();
    leftover(temp.path);
    await temp.release();
    await exited(browser);
    expect(browser.signalCode).toBe('SIGKILL');
    expect(members.filter(alive)).toEqual([]);
    expect(existsSync(temp.path)).toBe(false);
  });

  it('on the exit path, kills and waits synchronously', async () => {
    const temp = createBrowserTempDir(parent);
    browserLike(temp.path, 60);
    await started();
    temp.adoptProcesses();
    const members = temp.processes();
    expect(members).toHaveLength(2);
    temp.releaseSync();
    expect(members.filter(alive)).toEqual([]);
    expect(existsSync(temp.path)).toBe(false);
  });

  it('is released when the process exits with its browser still running (process.exit)', async () => {
    const module = fileURLToPath(new URL('./temp-dir.ts', import.meta.url));
    const script = `
      import { spawn } from 'node:child_process';
      import { createBrowserTempDir } from ${JSON.stringify(module)};
      const temp = createBrowserTempDir(${JSON.stringify(parent)});
      const browser = spawn('sh', ['-c', 'env -u TMPDIR sleep 60 & wait'], {
        env: { ...process.env, TMPDIR: temp.path }, stdio: 'ignore', detached: true,
      });
      setTimeout(() => {
        temp.adoptProcesses();
        console.log(temp.path + ' ' + temp.processes().join(' '));
        process.exit(130);
      }, 200);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    const [dir, ...pids] = out.trim().split(' ');
    expect(dir).toMatch(/ichiren-chromium-/);
    expect(pids).toHaveLength(2);
    expect(existsSync(dir as string)).toBe(false);
    expect(pids.map(Number).filter(alive)).toEqual([]);
    expect(membersOf(new Set(pids.map(Number)))).toEqual([]);
  });
});
