import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMMANDS = ['export', 'keys', 'run', 'server', 'hersys'];

export interface SpawnedStub {
  readonly url: string;
  readonly controlUrl: string;
  readonly token: string;
  readonly seed: number;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly child: ResultPromise;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | undefined>;
}

/**
 * Starts `ichiren hersys` in another process. Uses bin/ichiren.js once every subcommand module exists
 * (it loads them all); until then, the same `hersys` command through testing/run-cli.ts.
 */
export async function spawnHerSysCli(args: string[], timeoutMs = 20_000): Promise<SpawnedStub> {
  const full = COMMANDS.every((c) => existsSync(`${ROOT}harness/cli/commands/${c}.ts`));
  const entry = full ? ['bin/ichiren.js'] : ['--import', 'tsx', 'stubs/hersys/testing/run-cli.ts'];
  const child = execa('node', [...entry, 'hersys', ...args], {
    cwd: ROOT,
    reject: false,
    buffer: true,
    all: false,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const check = () => {
      if (/^seed: /m.test(out)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout?.on('data', check);
    void child.then(() => {
      clearTimeout(timer);
      resolve(/^seed: /m.test(out));
    });
  });
  if (!ready) {
    child.kill('SIGKILL');
    await child;
    throw new Error(`ichiren hersys did not start:\n${out}\n${err}`);
  }
  const pick = (re: RegExp) => re.exec(out)?.[1] ?? '';
  return {
    url: pick(/listening on (\S+)/),
    controlUrl: pick(/^control: (\S+)/m),
    token: pick(/^token: +(\S+)/m),
    seed: Number(pick(/^seed: +(\d+)/m)),
    stdout: () => out,
    stderr: () => err,
    child,
    async stop() {
      if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
      const r = await child;
      return r.exitCode;
    },
  };
}
