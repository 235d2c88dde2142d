import { spawnSync } from 'node:child_process';

/** True when a Docker engine answers (`docker info`); container tests skip otherwise. */
export function dockerAvailable(): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    stdio: 'pipe',
    timeout: 10_000,
  });
  return result.status === 0;
}

/** True when `image` exists locally (we never pull: no registry here). */
export function imageExists(image: string): boolean {
  return spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}
