import { describe, expect, it } from 'vitest';
import { jstDayAndDue, watchOnce } from './watch.js';

describe('watchOnce', () => {
  it('records an unreachable server as an observation that could not be made: exit 3, not a broken link', async () => {
    const lines: string[] = [];
    const outcome = await watchOnce({
      paths: ['scenarios'],
      tag: 'observation',
      releases: ['latest'],
      platforms: ['android', 'ios'],
      seed: 1,
      workers: 2,
      stepTimeoutMs: 5_000,
      serverUrl: 'http://127.0.0.1:1',
      history: { memory: true },
      retentionDays: 90,
      log: (l) => lines.push(l),
    });
    expect(outcome.exitCode).toBe(3);
    expect(outcome.runs).toEqual([
      expect.objectContaining({ status: 'error', error: expect.stringMatching(/\S/) }),
    ]);
    expect(outcome.changes).toEqual([]);
    expect(lines[0]).toMatch(/^observation #1 {2}latest {2}url http:\/\/127\.0\.0\.1:1 {2}error/);
  }, 180_000); // the url target waits 10 s for the server, then gives up
});

describe('daily summary time', () => {
  it('is due from HH:MM Japan time on the Japanese calendar day', () => {
    expect(jstDayAndDue(new Date('2026-01-04T23:59:00Z'), '09:00')).toEqual({
      day: '2026-01-05',
      due: false,
    });
    expect(jstDayAndDue(new Date('2026-01-05T00:00:00Z'), '09:00')).toEqual({ day: '2026-01-05', due: true });
    expect(jstDayAndDue(new Date('2026-01-05T15:00:00Z'), '09:00')).toEqual({
      day: '2026-01-06',
      due: false,
    });
  });
});
