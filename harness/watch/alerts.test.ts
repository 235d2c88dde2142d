import { afterEach, describe, expect, it } from 'vitest';
import { dailySummaryPayload, postWebhook, stateChangePayload } from './alerts.js';
import type { SeriesHistory, StateChange } from './history/store.js';
import { seriesState } from './state.js';
import { type Receiver, startReceiver } from './testing-receiver.js';
import type { SeriesPoint } from './types.js';

const point = (i: number, passed: boolean): SeriesPoint => ({
  runId: i,
  observedAt: new Date(Date.UTC(2026, 0, 5, 1, i)).toISOString(),
  passed,
  release: 'cocoa-1.1.4',
  target: 'url http://x',
  identity: { serverVersion: '2.0.1', configHash: 'abc', batchNumbers: [7] },
  brokenLink: passed ? null : 'score',
  cell: passed ? null : 'obs[android]',
  detail: passed ? null : 'v1 score 0 < threshold 21',
});
const series = (platform: 'android' | 'ios', pattern: boolean[]): SeriesHistory => {
  const points = pattern.map((p, i) => point(i + 1, p));
  return {
    key: { target: 'url http://127.0.0.1:1', scenario: 'obs', platform, app: 'cocoa-1.1.4' },
    points,
    state: seriesState(points),
  };
};

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('webhook payload', () => {
  const android = series('android', [true, false]);
  const ios = series('ios', [true, true]);
  const change: StateChange = {
    alertId: 1,
    series: android.key,
    kind: 'failing',
    before: seriesState(android.points.slice(0, 1)),
    after: android.state,
  };

  it('has Slack/Teams text in both languages and the first failure with the server identity', () => {
    const p = stateChangePayload([change], [android, ios], [], 'https://example.jp/history.html');
    expect(p.text).toContain('Android ✘ since 2026-01-05 10:02 JST (broken at score), iOS ✔');
    expect(p.text).toContain('Android ✘ 2026-01-05 10:02 JST から（評価で途切れた）、iOS ✔');
    expect(p.text).toContain('https://example.jp/history.html');
    expect(p.changes).toEqual([
      expect.objectContaining({
        platform: 'android',
        change: 'failing',
        state: expect.objectContaining({
          since: expect.objectContaining({
            runId: 2,
            serverVersion: '2.0.1',
            configHash: 'abc',
            batchNumbers: [7],
            detail: 'v1 score 0 < threshold 21',
          }),
        }),
      }),
    ]);
  });

  it('daily summary says how things stand without a change', () => {
    const p = dailySummaryPayload([android, ios], new Date(Date.UTC(2026, 0, 5, 0)), 12);
    expect(p.kind).toBe('daily-summary');
    expect(p.text).toContain('12 observations today');
    expect(p.changes).toEqual([]);
  });

  it('is delivered to a local receiver; a refusing receiver yields the error', async () => {
    receiver = await startReceiver();
    const payload = stateChangePayload([change], [android, ios], []);
    expect(await postWebhook(receiver.url, payload)).toBeNull();
    expect(receiver.bodies).toEqual([JSON.parse(JSON.stringify(payload))]);
    await receiver.close();
    receiver = await startReceiver(404);
    expect(await postWebhook(receiver.url, payload)).toBe('webhook answered 404');
    expect(receiver.bodies).toHaveLength(1); // a 4xx is not retried
  });
});
