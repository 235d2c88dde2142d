import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleAndroidBrokenRun } from './fixtures/index.js';
import { createReporters, DEFAULT_REPORTERS, REPORTERS } from './index.js';
import { multiplex } from './multiplexer.js';
import { type Reporter, ReporterError, UnknownReporterError } from './types.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'ichiren-report-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c) => chunks.push(String(c)));
  return { stream, text: () => chunks.join('') };
}

describe('createReporters', () => {
  it('registers terminal, junit, json, html and pdf by name', () => {
    expect(Object.keys(REPORTERS).sort()).toEqual(['html', 'json', 'junit', 'pdf', 'terminal']);
    expect([...DEFAULT_REPORTERS]).toEqual(['terminal', 'json', 'junit', 'html']);
  });

  it('builds the named reporters once each, in order, and adds pdf on request', () => {
    const m = createReporters(['json', 'terminal', 'json'], { reportDir: 'unused', pdf: true });
    expect(m.reporters.map((r) => r.name)).toEqual(['json', 'terminal', 'pdf']);
  });

  it('rejects an unknown reporter name, listing the known ones', () => {
    expect(() => createReporters(['terminal', 'xml'], { reportDir: 'unused' })).toThrowError(
      UnknownReporterError,
    );
    expect(() => createReporters(['toString'], { reportDir: 'unused' })).toThrowError(
      /unknown reporter "toString" \(known: terminal, junit/,
    );
  });

  it('writes results.json, junit.xml and index.html with the default set', async () => {
    const dir = await tempDir();
    const out = sink();
    const m = createReporters([...DEFAULT_REPORTERS], { reportDir: dir, stream: out.stream });
    await m.onBegin?.({ scenarios: 3, cells: 6 });
    const s = sampleAndroidBrokenRun.scenarios[0];
    for (const cell of s.cells) await m.onCellEnd?.({ id: s.id, title: s.title }, cell);
    await m.onEnd(sampleAndroidBrokenRun);
    expect(m.errors()).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['index.html', 'junit.xml', 'results.json']);
    expect(out.text()).toContain('✘ close-contact-1m-30min[android,cocoa-1.1.4]');
  });
});

describe('multiplex', () => {
  it('isolates a failing reporter: the others still run and the error is kept and printed', async () => {
    const seen: string[] = [];
    const ok = (name: string): Reporter => ({
      name,
      onBegin: () => void seen.push(`${name}:begin`),
      onEnd: () => void seen.push(`${name}:end`),
    });
    const broken: Reporter = {
      name: 'broken',
      onBegin: () => {
        throw new Error('disk full');
      },
      onEnd: async () => {
        throw new Error('still full');
      },
    };
    const err = sink();
    const m = multiplex([ok('a'), broken, ok('b')], err.stream);
    await m.onBegin?.({ scenarios: 1, cells: 1 });
    await m.onEnd(sampleAndroidBrokenRun);
    expect(seen).toEqual(['a:begin', 'b:begin', 'a:end', 'b:end']);
    const errors = m.errors();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(ReporterError);
    expect(errors.map((e) => [e.reporter, e.hook, e.code])).toEqual([
      ['broken', 'onBegin', 'ICHIREN_REPORTER_FAILED'],
      ['broken', 'onEnd', 'ICHIREN_REPORTER_FAILED'],
    ]);
    expect(err.text()).toContain('reporter "broken" failed in onEnd: still full');
  });

  it('reports no errors when every reporter succeeds', async () => {
    const m = multiplex([{ name: 'quiet', onEnd: () => {} }]);
    await m.onEnd(sampleAndroidBrokenRun);
    expect(m.errors()).toEqual([]);
  });
});
