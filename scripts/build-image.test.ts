/**
 * Without a Docker engine the image builder explains itself in one line and exits 1 before assembling
 * anything (no stack trace). DOCKER_HOST points at a socket nobody serves, so the test holds on
 * machines with an engine too; a PATH without `docker` covers a machine with no Docker at all.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./build-image.mjs', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-build-image-'));
  await symlink(process.execPath, path.join(dir, 'node'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function oneLine(stderr: string) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe('scripts/build-image.mjs without Docker', () => {
  it('says no engine answers and how to start one', async () => {
    const r = await execa('node', [script, 'server'], {
      reject: false,
      env: { DOCKER_HOST: `unix://${path.join(dir, 'nobody.sock')}` },
    });
    expect(r.exitCode).toBe(1);
    expect(oneLine(r.stderr)).toMatch(
      /^build-image: no (Docker engine answers|docker command on PATH) \(.+\): start one first \(Debian, as root: apt-get install docker\.io; dockerd &/,
    );
  });

  it('says there is no docker command when none is on PATH', async () => {
    const r = await execa(path.join(dir, 'node'), [script], {
      reject: false,
      env: { PATH: dir },
      extendEnv: false,
    });
    expect(r.exitCode).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/^build-image: no docker command on PATH \(ENOENT\): start one first/);
  });
});
