import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

const BIN = fileURLToPath(new URL('../../bin/ichiren.js', import.meta.url));
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface SpawnedServer {
  readonly url: string;
  readonly child: ResultPromise;
  readonly stdout: () => string;
}

/**
 * Starts the server as a child process and waits (≤ timeoutMs) for its "listening on" line:
 * `node bin/ichiren.js server --port 0 …` (entry "cli") or `node --import tsx server/main.ts` (entry
 * "main", environment only).
 */
export async function spawnServer(
  args: string[],
  env: Record<string, string>,
  entry: 'cli' | 'main' = 'cli',
  /** A first start on a PGlite data directory runs initdb in WebAssembly: slow on a busy machine. */
  timeoutMs = 30_000,
): Promise<SpawnedServer> {
  const argv = entry === 'cli' ? [BIN, 'server', '--port', '0', ...args] : ['--import', 'tsx', MAIN, ...args];
  const child = execa('node', argv, {
    env: { ...process.env, ...env },
    extendEnv: true,
    reject: false,
    buffer: false,
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave it running
      reject(new Error(`server did not start in ${timeoutMs / 1000} s; stderr: ${err}`));
    }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ichiren server listening on (\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void child.then((r) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${r.exitCode ?? r.signal}) before listening; stderr: ${err}`));
    });
  });
  return { url, child, stdout: () => out };
}
