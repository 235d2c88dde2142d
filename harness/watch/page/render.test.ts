import { describe, expect, it } from 'vitest';
import { openHistory } from '../history/db.js';
import { appendRun } from '../history/store.js';
import { phoneOutcomes } from '../outcomes.js';
import { formatHistory } from '../print.js';
import { observedRun, runResult } from '../testing.js';
import { renderHistoryPage } from './render.js';
import { historyPageData } from './write.js';

const at = (min: number) => new Date(Date.UTC(2026, 0, 5, 1, min));
const staging = { kind: 'url', detail: 'https://staging.example.jp' };
const region = { kind: 'url', detail: 'https://test-region.example.jp' };

/** Sections of the page by environment, with whether each is hidden. */
function sections(html: string): { target: string; hidden: boolean; body: string }[] {
  return [
    ...html.matchAll(
      /<section class="environment" data-environment="\d+"( hidden)?>([\s\S]*?)\n<\/section>/g,
    ),
  ].map((m) => ({
    target: /<code>([^<]+)<\/code>/.exec(m[2] as string)?.[1] ?? '',
    hidden: m[1] !== undefined,
    body: m[2] as string,
  }));
}

describe('history page and terminal history with two environments', () => {
  it('shows one environment at a time (the latest observed first), each with its own lines and runs', async () => {
    const db = await openHistory({ memory: true });
    try {
      for (const [min, target, android] of [
        [0, staging, 'score'],
        [5, region, null],
        [10, staging, 'score'],
        [15, region, null],
      ] as const) {
        const result = runResult({ android, ios: null });
        await appendRun(db, observedRun(result, at(min), 'test', target), phoneOutcomes(result));
      }
      const data = await historyPageData(db, { now: at(20) });
      const html = renderHistoryPage(data);
      const [first, second] = sections(html);
      expect([first?.target, first?.hidden, second?.target, second?.hidden]).toEqual([
        'url https://test-region.example.jp',
        false,
        'url https://staging.example.jp',
        true,
      ]);
      expect(html.match(/data-set-env=/g)).toHaveLength(2);
      // The region's Android passes, staging's fails: never one line for both.
      expect(first?.body).toContain('class="platform pass" data-platform="android"');
      expect(second?.body).toContain('class="platform fail" data-platform="android"');
      expect(first?.body).not.toContain('staging.example.jp');
      expect(second?.body).not.toContain('test-region.example.jp');

      const text = formatHistory(data.series, 'en');
      expect(text).toMatch(/== url https:\/\/staging\.example\.jp\nAndroid ✘/);
      expect(text).toMatch(/== url https:\/\/test-region\.example\.jp\nAndroid ✔/);
    } finally {
      await db.close();
    }
  }, 300_000);
});
