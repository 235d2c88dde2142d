import { connect } from 'node:net';

/** True when nothing accepts connections at `url`'s host and port any more (the port is free). */
export function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** True when no process with this PID exists. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Runs a fixture script (TypeScript) in a node process of its own and resolves once it has printed
 * its first JSON line (what it started), with the child to signal or await.
 */
export async function runHoldingFixture<T>(file: string, args: readonly string[]) {
  const { execa } = await import('execa');
  const child = execa('node', ['--import', 'tsx', file, ...args], {
    reject: false,
    cleanup: true,
    forceKillAfterDelay: 5_000,
  });
  const held = await new Promise<T>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as T);
    });
    child.then((r) => reject(new Error(`fixture ended early: ${r.exitCode} ${r.stderr}`)));
  });
  return { child, held };
}
