import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { samplePassingRun } from '../report/fixtures/index.js';
import { createReporters } from '../report/index.js';
import type { RunResult } from '../runner/results.js';
import { interruptedAfterCells, rewriteAfterLateSignal } from './late-signal.js';

/** A stream that keeps what is written to it (`text`). */
class Collected extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += String(chunk);
    done();
  }
}

describe('a signal after the last cell', () => {
  it('marks a finished run interrupted with every cell kept and none missing', () => {
    const run = interruptedAfterCells(samplePassingRun);
    expect(run.status).toBe('interrupted');
    expect(run.notRun).toEqual([]);
    expect(run.scenarios).toEqual(samplePassingRun.scenarios);
    expect(interruptedAfterCells(run)).toBe(run);
  });

  it('arriving while the reports are written leaves the files marked interrupted, printed once', async () => {
    const reportDir = await mkdtemp(path.join(tmpdir(), 'ichiren-late-signal-'));
    onTestFinished(() => rm(reportDir, { recursive: true, force: true }));
    const out = new Collected();
    const err = new Collected();
    const controller = new AbortController();
    const reporters = createReporters(['terminal', 'json', 'junit', 'html'], {
      reportDir,
      stream: out,
    });
    // The signal comes while the first file is written (after the terminal's summary).
    const json = reporters.reporters.find((r) => r.name === 'json');
    const writeJson = json?.onEnd.bind(json);
    Object.assign(json as object, {
      onEnd: async (r: RunResult) => {
        controller.abort();
        await writeJson?.(r);
      },
    });
    await reporters.onEnd(samplePassingRun);
    const written = await rewriteAfterLateSignal(samplePassingRun, controller.signal, reporters, err);

    expect(written.status).toBe('interrupted');
    const results = JSON.parse(await readFile(path.join(reportDir, 'results.json'), 'utf8')) as RunResult;
    expect(results.status).toBe('interrupted');
    expect(results.summary.cells).toBe(samplePassingRun.summary.cells);
    expect(await readFile(path.join(reportDir, 'index.html'), 'utf8')).toContain(
      'data-run-status="interrupted"',
    );
    expect(await readFile(path.join(reportDir, 'junit.xml'), 'utf8')).toContain('<testsuites');
    expect(err.text).toContain('status interrupted');
    expect(out.text.match(/run status:/g)).toHaveLength(1);
    expect(reporters.errors()).toEqual([]);
  });

  it('leaves the files alone when no signal came', async () => {
    const rewritten: RunResult[] = [];
    const err = new Collected();
    const same = await rewriteAfterLateSignal(
      samplePassingRun,
      new AbortController().signal,
      { rewriteFiles: async (r) => void rewritten.push(r) },
      err,
    );
    expect(same).toBe(samplePassingRun);
    expect(rewritten).toEqual([]);
    expect(err.text).toBe('');
  });
});
