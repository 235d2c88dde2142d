import { describe, expect, it } from 'vitest';
import { alertFor, seriesState } from './state.js';
import type { SeriesPoint } from './types.js';

const points = (pattern: string): SeriesPoint[] =>
  [...pattern].map((c, i) => ({
    runId: i + 1,
    observedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    passed: c === '✔',
    release: 'r',
    target: 'url x',
    identity: { serverVersion: null, configHash: 'h', batchNumbers: [i] },
    brokenLink: c === '✔' ? null : 'score',
    cell: c === '✔' ? null : 'c',
    detail: null,
  }));

describe('series state', () => {
  it('names the first failure of the current streak', () => {
    const s = seriesState(points('✔✔✘✘✘'));
    expect(s).toMatchObject({ kind: 'failing', failures: 3, since: { runId: 3, brokenLink: 'score' } });
  });
  it('is recovered at the first pass after a failure, passing after that', () => {
    expect(seriesState(points('✔✘✘✔'))).toMatchObject({
      kind: 'recovered',
      since: { runId: 4 },
      failedSince: { runId: 2 },
    });
    expect(seriesState(points('✔✘✘✔✔'))).toMatchObject({ kind: 'passing', since: { runId: 4 } });
    expect(seriesState(points('✔✔'))).toMatchObject({ kind: 'passing', since: { runId: 1 } });
    expect(seriesState([])).toEqual({ kind: 'unknown' });
  });
  it('is flapping when the flip rate in the window is high, not after one break and repair', () => {
    expect(seriesState(points('✔✘✔✘✔✘'))).toMatchObject({ kind: 'flapping', flips: 5, window: 6 });
    expect(seriesState(points('✔✔✔✘✘✘✔✔✔'))).toMatchObject({ kind: 'passing' });
    // Old flapping slides out of the window.
    expect(seriesState(points(`✔✘✔✘✔✘${'✔'.repeat(10)}`)).kind).toBe('passing');
  });
});

describe('alerts on change only', () => {
  const at = (p: string) => seriesState(points(p));
  it('fires on passing → failing, failing → recovered, → flapping; never on more of the same', () => {
    expect(alertFor(at('✔✔'), at('✔✔✘'))).toBe('failing');
    expect(alertFor(at('✔✔✘'), at('✔✔✘✘'))).toBeNull();
    expect(alertFor(at('✔✘✘'), at('✔✘✘✔'))).toBe('recovered');
    expect(alertFor(at('✔✘✘✔'), at('✔✘✘✔✔'))).toBeNull();
    expect(alertFor(at('✔✔✔✘✔'), at('✔✔✔✘✔✘'))).toBe('flapping');
    expect(alertFor(at('✔✘✔✘✔'), at('✔✘✔✘✔✘'))).toBeNull(); // still flapping
  });
  it('a first observation alerts only when it fails', () => {
    expect(alertFor({ kind: 'unknown' }, at('✔'))).toBeNull();
    expect(alertFor({ kind: 'unknown' }, at('✘'))).toBe('failing');
  });
});
