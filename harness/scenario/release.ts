/**
 * Releases (fixtures/releases/*.yaml): the app build per platform and, for the reference server,
 * the server behaviour and configuration set of that time. A vendor release names its own app module
 * and server target instead. Loaded with the same file:line:column errors as scenarios.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { registerExternalApp } from '../devices/app-protocol/open.js';
import { ScenarioError, ScenarioErrors } from './errors.js';

const phoneDefaults = z.strictObject({
  osVersion: z.union([z.string(), z.number()], { error: 'must be a version like "14.4"' }).transform(String),
  enVersion: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 or 2' }),
  model: z.string({ error: 'must be a model name like "Pixel 4"' }),
});

/**
 * An app: a built-in build id, a vendor module path, or an external app that speaks the app protocol
 * (docs/app-protocol.md) — its command, run in `cwd` (relative to the release file; default ichiren's
 * working directory), each call answered within `timeoutMs`.
 */
const appEntry = z.union(
  [
    z.string(),
    z.strictObject({
      command: z.string().min(1),
      cwd: z.string().optional(),
      timeoutMs: z.int().min(100).max(600_000).optional(),
    }),
  ],
  { error: 'must be an app build, a vendor module path, or {command, cwd?, timeoutMs?}' },
);

export const releaseSchema = z.strictObject({
  name: z.string({ error: 'must be a release name like "cocoa-1.2.2"' }),
  title: z.strictObject({ ja: z.string(), en: z.string() }, { error: 'must be {ja, en}' }),
  released: z.string({ error: 'must be a date "YYYY-MM-DD"' }).optional(),
  apps: z.strictObject({ android: appEntry, ios: appEntry }, { error: 'must be {android, ios}' }),
  phones: z.strictObject(
    { android: phoneDefaults, ios: phoneDefaults },
    { error: 'must be {android: {…}, ios: {…}}' },
  ),
  server: z.strictObject(
    {
      target: z
        .enum(['embedded', 'process', 'container', 'url'], {
          error: 'must be "embedded", "process", "container" or "url"',
        })
        .default('embedded'),
      behaviour: z.string({ error: 'must name a reference-server behaviour like "2021-02-17"' }).optional(),
      configurationSet: z.string({ error: 'must name a configuration set like "cocoa-1.1.4"' }).optional(),
      url: z.string().optional(),
      command: z.string().optional(),
      image: z.string().optional(),
    },
    { error: 'must be {target, behaviour, configurationSet, …}' },
  ),
  notes: z.array(z.string()).default([]),
});

/** A loaded release: every app resolved to its id (an external app to `exec:<command>`). */
export type Release = Omit<z.output<typeof releaseSchema>, 'apps'> & {
  readonly apps: { readonly android: string; readonly ios: string };
  readonly file: string;
};

/** fixtures/releases/ of this checkout. */
export const RELEASES_DIR = fileURLToPath(new URL('../../fixtures/releases/', import.meta.url));
export const DEFAULT_RELEASE = 'latest';

/**
 * Loads a release by name (fixtures/releases/<name>.yaml) or by file path. `extends: <name>` takes
 * the named release's fields and overrides them (only top level and server/apps/phones one deep).
 */
export async function loadRelease(nameOrFile: string, seen: readonly string[] = []): Promise<Release> {
  const isFile = /[\\/]|\.ya?ml$/.test(nameOrFile);
  const file = isFile ? nameOrFile : path.join(RELEASES_DIR, `${nameOrFile}.yaml`);
  const source = await readFile(file, 'utf8').catch(() => null);
  if (source === null) {
    throw new ScenarioErrors([
      new ScenarioError(
        nameOrFile,
        1,
        1,
        `release must be a name in fixtures/releases (e.g. latest, cocoa-1.1.4) or a YAML file`,
      ),
    ]);
  }
  const lc = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lc });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lc.linePos(e?.pos[0] ?? 0);
    throw new ScenarioErrors([
      new ScenarioError(file, pos.line, pos.col, `invalid YAML: ${e?.message.split('\n')[0]}`),
    ]);
  }
  let raw = (doc.toJS() ?? {}) as Record<string, unknown>;
  if (typeof raw.extends === 'string') {
    if (seen.includes(raw.extends))
      throw new ScenarioErrors([
        new ScenarioError(file, 1, 1, `extends must not loop (${[...seen, raw.extends].join(' → ')})`),
      ]);
    const base = await loadRelease(raw.extends, [...seen, raw.extends]);
    const { extends: _, ...own } = raw;
    const merge = (k: string) => ({
      ...(base as unknown as Record<string, object>)[k],
      ...((own[k] as object) ?? {}),
    });
    raw = { ...base, ...own, apps: merge('apps'), phones: merge('phones'), server: merge('server') };
    delete raw.file;
  }
  const parsed = releaseSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ScenarioErrors(
      parsed.error.issues.map((i) => {
        const node = doc.getIn(i.path as (string | number)[], true) as
          | { range?: [number, number] }
          | undefined;
        const pos = node?.range ? lc.linePos(node.range[0]) : { line: 1, col: 1 };
        return new ScenarioError(file, pos.line, pos.col, `${i.path.join('.') || 'release'} ${i.message}`);
      }),
    );
  }
  // A vendor module path is relative to the release file that names it, not to the working directory.
  const own = (raw.apps ?? {}) as Record<string, unknown>;
  const resolveApp = (platform: 'android' | 'ios', app: z.output<typeof appEntry>): string => {
    if (typeof app !== 'string') {
      // Only this release's own entry has a cwd relative to this file (an extended one was resolved).
      const cwd =
        app.cwd === undefined || own[platform] === undefined
          ? app.cwd
          : path.resolve(path.dirname(file), app.cwd);
      return registerExternalApp({
        command: app.command,
        ...(cwd ? { cwd } : {}),
        ...(app.timeoutMs ? { timeoutMs: app.timeoutMs } : {}),
      });
    }
    return typeof own[platform] === 'string' && /^\.\.?[\\/]/.test(app)
      ? path.relative(process.cwd(), path.resolve(path.dirname(file), app)) // short in reports
      : app;
  };
  const apps = {
    android: resolveApp('android', parsed.data.apps.android),
    ios: resolveApp('ios', parsed.data.apps.ios),
  };
  return { ...parsed.data, apps, file };
}
