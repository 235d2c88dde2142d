/**
 * How many notifications a receiver may be shown (scenario `notifications`): `1` or `"1"` exactly,
 * `"<= 1"` at most. Without it every receiver may be shown at most one per exposure episode
 * (scenarios/README.md "Notifications are counted").
 */
export interface NotificationCount {
  readonly op: '=' | '<=';
  readonly count: number;
}

export function parseNotificationCount(value: unknown): NotificationCount | null {
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 0 ? { op: '=', count: value } : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*(<=|=)?\s*(\d+)\s*$/.exec(value);
  return m ? { op: m[1] === '<=' ? '<=' : '=', count: Number(m[2]) } : null;
}

export const notificationCountText = (c: NotificationCount): string =>
  c.op === '=' ? `exactly ${c.count}` : `at most ${c.count}`;

export const notificationCountTextJa = (c: NotificationCount): string =>
  c.op === '=' ? `ちょうど ${c.count} 回` : `${c.count} 回以下`;

/** Whether `n` notifications meet the count. */
export const meetsCount = (c: NotificationCount, n: number): boolean =>
  c.op === '=' ? n === c.count : n <= c.count;
