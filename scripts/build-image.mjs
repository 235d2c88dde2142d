#!/usr/bin/env node
/**
 * Builds the container images of the `container` stack target without any registry: each image is
 * `FROM scratch` plus a root filesystem assembled here from the host's own binaries and the shared
 * libraries `ldd` lists for them.
 *
 *   node scripts/build-image.mjs            # both images
 *   node scripts/build-image.mjs server     # ichiren-server:local  (Dockerfile at the repo root)
 *   node scripts/build-image.mjs postgres   # ichiren-postgres:local (docker/postgres/Dockerfile)
 *
 * Options: --server-tag <t>, --postgres-tag <t>, --keep (leave the assembled context in /tmp).
 * Server rootfs: the host's node binary + libs, the repo's sources and node_modules (minus dev tooling).
 * PostgreSQL rootfs: /usr/lib/postgresql/<v> (bin + lib), /usr/share/postgresql/<v>, zoneinfo, /bin/sh + libs,
 * <v> being the newest major version Debian installed (or $PG_VERSION).
 * Each build prunes the dangling image it replaced (label ichiren.image), so rebuilds do not pile up.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { $, argv } from 'zx';

$.verbose = false;
const repo = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const which = argv._.length ? argv._.map(String) : ['server', 'postgres'];
const serverTag = argv['server-tag'] ?? 'ichiren-server:local';
const postgresTag = argv['postgres-tag'] ?? 'ichiren-postgres:local';
const PG_VERSION = process.env.PG_VERSION ?? newestPostgres();
const PG = `/usr/lib/postgresql/${PG_VERSION}`;

/** Newest major version under /usr/lib/postgresql (Debian's layout), or 15 when none is installed. */
function newestPostgres() {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').filter(
        (v) => /^\d+$/.test(v) && existsSync(`/usr/lib/postgresql/${v}/bin/postgres`),
      )
    : [];
  return versions.sort((a, b) => Number(b) - Number(a))[0] ?? '15';
}

/** Shared libraries of `file` (and the dynamic loader), as absolute host paths. */
async function sharedLibs(file) {
  const out = await $`ldd ${file}`.nothrow();
  if (out.exitCode !== 0) return []; // not dynamic (scripts, data)
  return [...out.stdout.matchAll(/(\/\S+)\s+\(0x/g)].map((m) => m[1]);
}

/** Copies `files` and every shared library they need into `rootfs` at the same paths. */
async function copyWithLibs(rootfs, files) {
  const libs = new Set();
  for (const file of files) for (const lib of await sharedLibs(file)) libs.add(lib);
  for (const file of [...files, ...libs]) {
    const target = path.join(rootfs, file);
    await mkdir(path.dirname(target), { recursive: true });
    // Follow symlinks: the loader looks for the soname path, which must hold the real bytes.
    await cp(realpathSync(file), target, { dereference: true });
    await chmod(target, 0o755);
  }
  return libs.size;
}

async function baseFs(rootfs, users) {
  await mkdir(path.join(rootfs, 'etc'), { recursive: true });
  await mkdir(path.join(rootfs, 'tmp'), { recursive: true });
  await chmod(path.join(rootfs, 'tmp'), 0o1777);
  await writeFile(
    path.join(rootfs, 'etc/passwd'),
    `${users.map((u) => `${u.name}:x:${u.id}:${u.id}::${u.home}:/bin/sh`).join('\n')}\n`,
  );
  await writeFile(path.join(rootfs, 'etc/group'), `${users.map((u) => `${u.name}:x:${u.id}:`).join('\n')}\n`);
}

async function build(context, dockerfile, tag, label, buildArgs = []) {
  const t0 = Date.now();
  const args = buildArgs.flatMap((a) => ['--build-arg', a]);
  await $`docker build --network none --label ichiren.image=${label} ${args} -f ${dockerfile} -t ${tag} ${context}`;
  // The previous build of this tag is now dangling: remove it (only ours, by label).
  await $`docker image prune -f --filter label=ichiren.image=${label}`.nothrow();
  console.log(`built ${tag} in ${Date.now() - t0} ms`);
}

async function buildServer() {
  const context = await mkdtemp(path.join(os.tmpdir(), 'ichiren-image-server-'));
  const rootfs = path.join(context, 'rootfs');
  try {
    await baseFs(rootfs, [
      { name: 'root', id: 0, home: '/root' },
      { name: 'nobody', id: 65534, home: '/nonexistent' },
    ]);
    const node = realpathSync(process.execPath);
    await copyWithLibs(rootfs, [node]);
    if (node !== '/usr/local/bin/node') {
      await mkdir(path.join(rootfs, 'usr/local/bin'), { recursive: true });
      await cp(node, path.join(rootfs, 'usr/local/bin/node'));
    }
    const app = path.join(rootfs, 'app');
    const entries = [
      'package.json',
      'tsconfig.json',
      'bin',
      'harness',
      'server',
      'stubs',
      'fixtures',
      'scenarios',
    ];
    for (const entry of entries) {
      if (existsSync(path.join(repo, entry)))
        await cp(path.join(repo, entry), path.join(app, entry), { recursive: true });
    }
    // Dev tooling is not needed to run the server (tsx runs the sources through esbuild).
    const skip = new Set(['@biomejs', '@typescript', 'typescript', '.cache', '@vitest', 'vitest']);
    await cp(path.join(repo, 'node_modules'), path.join(app, 'node_modules'), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => !skip.has(path.relative(path.join(repo, 'node_modules'), src).split(path.sep)[0]),
    });
    // The image runs as nobody: sources (some checked out 0600, e.g. the test signing key) must be readable.
    await $`chmod -R a+rX ${app}`;
    await build(context, path.join(repo, 'Dockerfile'), serverTag, 'server');
  } finally {
    if (!argv.keep) await rm(context, { recursive: true, force: true });
    else console.log(`context kept in ${context}`);
  }
}

async function buildPostgres() {
  if (!existsSync(`${PG}/bin/postgres`)) throw new Error(`PostgreSQL ${PG_VERSION} not installed at ${PG}`);
  const context = await mkdtemp(path.join(os.tmpdir(), 'ichiren-image-postgres-'));
  const rootfs = path.join(context, 'rootfs');
  try {
    await baseFs(rootfs, [
      { name: 'root', id: 0, home: '/root' },
      { name: 'postgres', id: 999, home: '/tmp' },
    ]);
    const bins = ['initdb', 'postgres', 'pg_ctl', 'pg_isready'].map((b) => `${PG}/bin/${b}`);
    const modules = (await readdir(`${PG}/lib`))
      .filter((f) => f.endsWith('.so'))
      .map((f) => `${PG}/lib/${f}`);
    const sh = realpathSync('/bin/sh');
    await copyWithLibs(rootfs, [...bins, ...modules, sh]);
    if (sh !== '/bin/sh') await cp(sh, path.join(rootfs, 'bin/sh'));
    const share = `/usr/share/postgresql/${PG_VERSION}`;
    await cp(share, path.join(rootfs, share), { recursive: true });
    await cp('/usr/share/zoneinfo', path.join(rootfs, 'usr/share/zoneinfo'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    await mkdir(path.join(rootfs, 'usr/local/bin'), { recursive: true });
    await cp(
      path.join(repo, 'docker/postgres/entrypoint.sh'),
      path.join(rootfs, 'usr/local/bin/entrypoint.sh'),
    );
    await chmod(path.join(rootfs, 'usr/local/bin/entrypoint.sh'), 0o755);
    await build(context, path.join(repo, 'docker/postgres/Dockerfile'), postgresTag, 'postgres', [
      `PG_BIN=${PG}/bin`,
    ]);
  } finally {
    if (!argv.keep) await rm(context, { recursive: true, force: true });
  }
}

/**
 * Why no image can be built here, in one line, or null when a Docker engine answers. Asked before
 * anything is assembled: copying node_modules first and failing after is a minute lost.
 */
function dockerEngineProblem() {
  const how =
    'start one first (Debian, as root: apt-get install docker.io; dockerd & — or scripts/ci-docker.sh; docs/vendors.md "Server targets")';
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (info.error) return `no docker command on PATH (${info.error.code ?? info.error.message}): ${how}`;
  if (info.status === 0 && info.stdout.trim()) return null;
  const said = info.stderr.split('\n').find((l) => l.trim()) ?? `docker info exited ${info.status}`;
  return `no Docker engine answers (${said.trim().replace(/\.$/, '')}): ${how}`;
}

const unknown = which.filter((n) => n !== 'server' && n !== 'postgres');
if (unknown.length > 0) {
  console.error(`build-image: unknown image "${unknown[0]}" (server | postgres)`);
  process.exit(2);
}
try {
  const problem = dockerEngineProblem();
  if (problem) {
    console.error(`build-image: ${problem}`);
    process.exit(1);
  }
  for (const name of which) {
    if (name === 'server') await buildServer();
    else await buildPostgres();
  }
} catch (error) {
  // One line, not a stack: what failed is in the message (zx puts the command's stderr there).
  const message = String(error?.stderr || error?.message || error)
    .trim()
    .split('\n')[0];
  console.error(`build-image: ${message}`);
  process.exit(1);
}
