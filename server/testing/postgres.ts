import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** A throwaway PostgreSQL server for tests: initdb + pg_ctl in a temp dir, ephemeral port. */
export interface TestPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

function which(bin: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Why a real PostgreSQL cannot be started here, or undefined when it can. */
export function postgresUnavailableReason(): string | undefined {
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
    if (!which(bin)) return `PostgreSQL binary "${bin}" not on PATH`;
  }
  if (process.getuid?.() === 0 && !which('runuser')) return 'running as root without runuser';
  return undefined;
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

export async function startTestPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'ichiren-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: run it as nobody, who must own the directory.
  const run = (cmd: string, args: string[]) =>
    asRoot ? execa('runuser', ['-u', 'nobody', '--', cmd, ...args]) : execa(cmd, args);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      try {
        await run('pg_ctl', [
          '-D',
          data,
          '-w',
          '-t',
          '30',
          '-l',
          join(dir, 'log'),
          '-o',
          `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off`,
          'start',
        ]);
        let stopped = false;
        return {
          url: `postgres://postgres@127.0.0.1:${port}/postgres`,
          async stop() {
            if (stopped) return;
            stopped = true;
            await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
            cleanup();
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
