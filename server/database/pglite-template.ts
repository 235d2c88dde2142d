/**
 * A fresh in-memory PGlite runs initdb inside WebAssembly: about 2.4 s on two cores, longer than the
 * whole scenario library. Loading a dump of an initialised, migrated and still empty data directory
 * takes about 0.4 s. The dump is cached on disk, keyed by the PGlite version and the migrations, and
 * rebuilt whenever either changes; it holds the schema only, never data. Caching is best effort: a
 * read-only or missing cache folder just means the slow path.
 *
 * Loading costs in proportion to the dump's size, so the dump holds only the one database PGlite
 * serves: initdb's 16 MB WAL segment, and template0 and template1 (7 MB each, used only by CREATE
 * DATABASE, which neither the server nor the watch history issues), made a 40 MB dump; the slim one
 * is about a third of that (pglite-start.ts: 1 MB WAL segments).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { pgliteStartOptions } from './pglite-start.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `ICHIREN_CACHE_DIR` overrides; by default the conventional node_modules/.cache folder. */
export const cacheDir = (): string =>
  process.env.ICHIREN_CACHE_DIR ?? path.join(ROOT, 'node_modules', '.cache', 'ichiren');

function pgliteVersion(): string {
  try {
    const pkg = readFileSync(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8');
    return (JSON.parse(pkg) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The cache file for this PGlite and these migrations. */
export function templateFile(migrationsSql: readonly string[]): string {
  // The layout of the dump is part of the key: a dump of the older, larger layout is rebuilt.
  const hash = createHash('sha256').update(pgliteVersion()).update('\0slim-1');
  for (const sql of migrationsSql) hash.update('\0').update(sql);
  return path.join(cacheDir(), `pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
}

/** Dumps read in this process, by file and version: stacks started one after another load the same bytes. */
const loaded = new Map<string, ArrayBuffer>();

/**
 * The cached dump as PGlite's `loadDataDir` takes it, or undefined. PGlite only calls
 * `arrayBuffer()` on it (and only reads the bytes); a real Blob of the 40 MB dump would copy it into
 * Node's blob store and read it back in small chunks, seconds on a loaded machine.
 */
export function readTemplate(file: string): Blob | undefined {
  let key: string;
  try {
    const stat = statSync(file);
    key = `${file}\0${stat.mtimeMs}\0${stat.size}`;
  } catch {
    return undefined;
  }
  let buffer = loaded.get(key);
  if (!buffer) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return undefined;
    }
    buffer =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    for (const k of loaded.keys()) if (k.startsWith(`${file}\0`)) loaded.delete(k);
    loaded.set(key, buffer);
  }
  const bytes = buffer;
  return {
    type: 'application/x-tar',
    size: bytes.byteLength,
    arrayBuffer: async () => bytes,
  } as unknown as Blob;
}

/** Dumps a freshly migrated, empty database for the next start (atomic rename; errors ignored). */
export async function saveTemplate(pg: PGlite, file: string): Promise<void> {
  try {
    const dump = await slimDump(await pg.dumpDataDir('none'));
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  } catch {
    // Next start takes the slow path again.
  }
}

/**
 * The dump without template0 and template1, checkpointed. Done on a scratch copy so the database
 * in use (a server's, or a history directory) keeps what initdb made.
 */
async function slimDump(dump: Blob): Promise<Blob> {
  const { PGlite } = await import('@electric-sql/pglite');
  const scratch = new PGlite({ ...(await pgliteStartOptions()), loadDataDir: dump });
  try {
    await scratch.waitReady;
    for (const name of ['template1', 'template0']) {
      await scratch.exec(`ALTER DATABASE ${name} IS_TEMPLATE false`);
      await scratch.exec(`DROP DATABASE ${name}`);
    }
    await scratch.exec('CHECKPOINT');
    return await scratch.dumpDataDir('none');
  } finally {
    await scratch.close();
  }
}
