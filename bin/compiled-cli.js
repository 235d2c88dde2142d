// The CLI compiled to JavaScript once, then reused while its sources stay the same.
//
// Running the TypeScript through tsx's loader costs every start about 3 s of CPU (1.5 s of wall
// time on two cores): each of the ~1,900 modules a run loads (our ~250 and every package's) passes
// through the loader's hooks on another thread. esbuild bundles our sources (packages stay external, loaded by
// Node itself) into a cache folder in about 0.4 s; later starts only hash the sources (~10 ms) to
// see that the bundle is still theirs. Any problem (no esbuild, a read-only cache, a syntax error)
// returns undefined and the caller falls back to tsx, which reports a syntax error as before.

import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const sha1 = (bytes) => createHash('sha1').update(bytes).digest('hex');

/** This file's own hash: a bundle made by another version of it is never reused. */
const BUILDER = sha1(readFileSync(fileURLToPath(import.meta.url)));
/** Bundles other than the current one are removed once this old (a long `watch` may still use one). */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Where bundles live by default: inside the project's node_modules, because the bundle imports the
 * packages it leaves external from where it lies (ICHIREN_CACHE_DIR, another folder, does not apply).
 */
export const defaultBundlesDir = (root) => path.join(root, 'node_modules', '.cache', 'ichiren', 'cli');

/** The recorded inputs still hash the same (a file that is gone or unreadable does not). */
function inputsUnchanged(root, inputs) {
  for (const [file, hash] of Object.entries(inputs)) {
    try {
      if (sha1(readFileSync(path.join(root, file))) !== hash) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** A source's compiled file inside a bundle (the bundle keeps the sources' layout). */
const compiledFile = (bundle, source) => path.join(bundle, source.replace(/\.ts$/, '.js'));

/**
 * The bundle holds its checkout's absolute paths (each source's `import.meta.url`, sourceUrlPlugin),
 * so it is keyed by the checkout as well as by its sources: two checkouts sharing one node_modules
 * each get their own, and never read each other's fixtures or releases.
 */
const checkoutKey = (root) => sha1(path.resolve(root)).slice(0, 16);

/** The record of the current bundle of this checkout. */
const currentFile = (dir, root) => path.join(dir, `current-${checkoutKey(root)}.json`);

/** The folder of the bundle recorded as this checkout's current one if its inputs are unchanged. */
function currentBundle(root, dir, entryName) {
  try {
    const current = JSON.parse(readFileSync(currentFile(dir, root), 'utf8'));
    if (current.builder !== BUILDER || current.entry !== entryName || current.root !== path.resolve(root))
      return undefined;
    const bundle = path.join(dir, current.bundle);
    statSync(compiledFile(bundle, entryName));
    return inputsUnchanged(root, current.inputs) ? bundle : undefined;
  } catch {
    return undefined;
  }
}

/** Worker thread modules (`*.worker.ts`, harness/environment/workers.ts): entries of their own. */
function workerSources(root, folders) {
  const found = [];
  for (const folder of folders) {
    let names;
    try {
      names = readdirSync(path.join(root, folder), { recursive: true });
    } catch {
      continue;
    }
    for (const name of names)
      if (String(name).endsWith('.worker.ts')) found.push(path.join(folder, String(name)));
  }
  return found.sort();
}

/**
 * esbuild plugin: `import.meta.url` of each source becomes that source's own URL, so a module
 * still finds the files beside it (fixtures, migrations, report.css) from inside the bundle.
 */
function sourceUrlPlugin(root) {
  return {
    name: 'ichiren-source-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!args.path.startsWith(root) || args.path.includes(`${path.sep}node_modules${path.sep}`))
          return undefined;
        const text = readFileSync(args.path, 'utf8');
        return {
          contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
          loader: 'ts',
        };
      });
    },
  };
}

/** Builds the bundle into a fresh folder, then makes it current; returns that folder. */
async function build(root, dir, entryName, workerFolders) {
  const esbuild = await import('esbuild');
  const staging = path.join(dir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [entryName, ...workerSources(root, workerFolders)].map((f) => path.join(root, f)),
      outdir: staging,
      outbase: root,
      bundle: true,
      splitting: true, // lazily imported modules stay lazy: `ichiren --help` loads no server
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      keepNames: true, // error and class names read as in the sources
      metafile: true,
      logLevel: 'silent',
      plugins: [sourceUrlPlugin(root)],
    });
    const inputs = {};
    for (const file of Object.keys(result.metafile.inputs)) {
      const absolute = path.resolve(root, file);
      inputs[path.relative(root, absolute)] = sha1(readFileSync(absolute));
    }
    // Named by builder, checkout and inputs: a bundle of the same name is the same bundle.
    const bundle = `bundle-${sha1(BUILDER + path.resolve(root) + JSON.stringify(inputs)).slice(0, 16)}`;
    try {
      renameSync(staging, path.join(dir, bundle));
    } catch {
      // Another process built the same sources meanwhile (the staging folder goes below).
    }
    const current = path.join(dir, `.current-${process.pid}.json`);
    writeFileSync(
      current,
      JSON.stringify({ builder: BUILDER, entry: entryName, root: path.resolve(root), bundle, inputs }),
    );
    renameSync(current, currentFile(dir, root));
    removeOldBundles(dir, bundle);
    return path.join(dir, bundle);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    // esbuild's service process is not needed again: end it now, not with the CLI.
    await esbuild.stop();
  }
}

/** Bundles some checkout still records as current (another checkout's must survive this one's build). */
function currentBundles(dir) {
  const kept = new Set();
  for (const name of readdirSync(dir)) {
    if (!/^current-[0-9a-f]+\.json$/.test(name)) continue;
    try {
      kept.add(JSON.parse(readFileSync(path.join(dir, name), 'utf8')).bundle);
    } catch {
      // being replaced: its bundle is at most a day old or is someone's current one
    }
  }
  return kept;
}

function removeOldBundles(dir, keep) {
  const current = currentBundles(dir);
  for (const name of readdirSync(dir)) {
    if (name === keep || current.has(name) || name.startsWith('current-')) continue;
    const file = path.join(dir, name);
    try {
      if (Date.now() - statSync(file).mtimeMs > STALE_AFTER_MS)
        rmSync(file, { recursive: true, force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}

/**
 * `entryName` (relative to `root`) compiled, built now if its sources changed, or undefined when it
 * cannot be had (the caller then runs the sources through tsx): `entry` is the compiled entry's file
 * URL, `bundle` the folder that holds it and every `*.worker.ts` below `workerFolders`, compiled
 * at their sources' relative paths.
 */
export async function compiledEntry(
  root,
  entryName,
  { workerFolders = [], env = process.env, bundlesDir = defaultBundlesDir(root) } = {},
) {
  if (env.ICHIREN_NO_BUNDLE) return undefined;
  const dir = bundlesDir;
  try {
    let bundle = currentBundle(root, dir, entryName);
    if (!bundle) {
      mkdirSync(dir, { recursive: true });
      bundle = await build(root, dir, entryName, workerFolders);
    }
    return { entry: pathToFileURL(compiledFile(bundle, entryName)).href, bundle };
  } catch {
    return undefined;
  }
}
