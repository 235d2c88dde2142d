/**
 * `npm ci` (CI's install, .ci/run) refuses a lock file that lacks an entry for any optional dependency
 * of a locked package, even one for another platform ("Missing: @rollup/rollup-darwin-x64@ from lock
 * file"). The registry CI reaches serves only this platform's builds, so npm here cannot add such
 * entries back itself: a lock rewritten by a plain `npm install` must keep them. This pins that.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
}
const lock = JSON.parse(
  readFileSync(fileURLToPath(new URL('../package-lock.json', import.meta.url)), 'utf8'),
) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

/** Node's resolution in the lock's tree: nearest node_modules/<name> walking up from `from`. */
function resolve(from: string, name: string): LockEntry | undefined {
  let dir = from;
  for (;;) {
    const entry = lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`];
    if (entry) return entry;
    if (!dir) return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

describe('package-lock.json is complete for npm ci', () => {
  it('has an entry for every optional dependency of every locked package, on any platform', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolve(path, name)) missing.push(`${name} (optional dependency of ${path || 'the root'})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('marks every platform build it cannot install here as optional with its os and cpu', () => {
    const platformBuilds = Object.entries(lock.packages).filter(([path]) =>
      /node_modules\/@(rollup|biomejs|esbuild)\/(rollup-|cli-)?[a-z0-9]+-[a-z0-9]+/.test(path),
    );
    expect(platformBuilds.length).toBeGreaterThan(0);
    for (const [path, entry] of platformBuilds) {
      expect(entry, path).toMatchObject({ optional: true });
      expect(entry.os?.length, path).toBeGreaterThan(0);
      expect(entry.cpu?.length, path).toBeGreaterThan(0);
    }
  });
});
