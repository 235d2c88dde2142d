import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppBuild } from '../devices/apps/index.js';
import { ScenarioErrors } from './errors.js';
import { loadRelease } from './release.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-release-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadRelease', () => {
  it('loads every shipped release with apps the registry knows', async () => {
    expect((await loadRelease('latest')).apps).toEqual({ android: 'cocoa-2.x', ios: 'cocoa-2.x' });
    for (const name of ['cocoa-1.1.3', 'cocoa-1.1.4', 'cocoa-1.2.2', 'cocoa-2.0']) {
      const r = await loadRelease(name);
      expect(r.name).toBe(name);
      for (const app of [r.apps.android, r.apps.ios]) expect((await loadAppBuild(app)).id).toBe(app);
    }
  });

  it('resolves a vendor module path against the release file, and the module loads', async () => {
    const r = await loadRelease('vendor-example');
    expect(r.apps.android).toBe(path.join('fixtures', 'releases', 'vendor-example', 'app.ts'));
    expect((await loadAppBuild(r.apps.android)).id).toBe('vendor-example-1.0');
  });

  it('leaves built-in app ids alone in a release file elsewhere, and extends a named release', async () => {
    const file = path.join(dir, 'mine.yaml');
    await writeFile(file, 'extends: cocoa-1.2.2\nname: mine\ntitle: { ja: "私の", en: "mine" }\n');
    const r = await loadRelease(file);
    expect([r.name, r.apps.android, r.server.behaviour]).toEqual(['mine', 'cocoa-1.2.2', '2021-02-17']);
  });

  it('names the file, line and field of a bad release', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'extends: cocoa-1.2.2\nname: bad\nserver: { target: cloud }\n');
    const err = await loadRelease(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioErrors);
    expect((err as Error).message).toMatch(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: server.target`),
    );
  });

  it('names an external app by its command, run in a folder relative to the release file', async () => {
    const r = await loadRelease('examples/external-app/cocoa-2.x.yaml');
    const id = 'exec:python3 cocoa.py --build 2.x (in examples/external-app)';
    expect(r.apps).toEqual({ android: id, ios: id });
    expect(r.server.behaviour).toBe((await loadRelease('latest')).server.behaviour);
  });

  it('names the file, line and field of a bad app entry', async () => {
    const file = path.join(dir, 'bad-app.yaml');
    await writeFile(file, 'extends: latest\nname: bad\napps:\n  android: { cmd: "x" }\n');
    const err = await loadRelease(file).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /bad-app\.yaml:4:\d+: apps\.android must be an app build, a vendor module path, or \{command/,
    );
  });
});
