/**
 * Notifications as the user saw them: counted from each check's notify evidence (what the app showed,
 * observed apart from its score decision, devices/phone.ts), never from the decision. The default
 * allowance is one notification per exposure episode, an episode being one exposure day: COCOA 2.x
 * keys its DailySummaries by date and notifies only when a check brings a high-risk day it did not hold
 * (ExposureDataRepository.SetExposureDataAsync, ExposureDetectionService @v2.0.0; scenarios/README.md
 * "Notifications are counted").
 */
import { TEK_ROLLING_PERIOD } from '../protocol/interval.js';
import type { KeyRef } from '../protocol/key-ref.js';
import {
  meetsCount,
  type NotificationCount,
  notificationCountText,
  notificationCountTextJa,
} from '../scenario/notification-count.js';
import type { PlannedExpectation } from '../scenario/plan.js';
import { compare, type Ev } from './links.js';
import { CHAIN_LINKS, type ChainLinkName, type LinkResult } from './results.js';
import type { Trace } from './trace.js';

export interface Notifications {
  /** The receiver's checks that showed a notification, in order. */
  readonly shown: readonly Ev<'detection'>[];
  /** Exposure days of the keys the receiver recorded, from any phone (UTC days, as keys roll). */
  readonly episodes: number;
  /** What the scenario allows: its `notifications`, else at most one per episode. */
  readonly allowed: NotificationCount;
  /** True when the allowance is the default (one per episode). */
  readonly byDefault: boolean;
}

/** The UTC day a key covers: one exposure day. */
const dayOf = (k: KeyRef) => Math.floor(k.rollingStartIntervalNumber / TEK_ROLLING_PERIOD);

export function notificationsOf(trace: Trace, receiver: string, declared?: NotificationCount): Notifications {
  const shown = trace.filter(
    (e): e is Ev<'detection'> => e.link === 'detection' && e.who === receiver && e.evidence.notify.notified,
  );
  const days = new Set<number>();
  for (const e of trace) {
    if (e.link !== 'contact') continue;
    const heard =
      e.evidence.a === receiver
        ? e.evidence.keysHeardAtA
        : e.evidence.b === receiver
          ? e.evidence.keysHeardAtB
          : [];
    for (const k of heard) days.add(dayOf(k));
  }
  return {
    shown,
    episodes: days.size,
    allowed: declared ?? { op: '<=', count: Math.max(1, days.size) },
    byDefault: declared === undefined,
  };
}

const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`;
const labels = (shown: readonly Ev<'detection'>[]) => shown.map((d) => d.label).join(', ');

/**
 * Holds the notifications shown against the expectation, after the links were judged (evaluate.ts).
 * A phone expected not to be notified fails where the notification got through: at score when the
 * app's decision said notify, at notify when it said no and a notification was shown anyway. A phone
 * expected to be notified fails at notify when it was shown more (or, for an exact count, fewer)
 * notifications than the scenario allows.
 */
export function judgeNotifications(
  links: readonly LinkResult[],
  expectation: PlannedExpectation,
  n: Notifications,
): LinkResult[] {
  const count = n.shown.length;
  const first = n.shown[0];
  if (!first) return [...links];
  const evidence = {
    notifications: count,
    notifiedAt: n.shown.map((d) => d.label),
    allowed: `${n.allowed.op} ${n.allowed.count}`,
    exposureDays: n.episodes,
  };
  if (expectation.notified === false) {
    const s = first.evidence.score;
    const at: ChainLinkName = s.passed ? 'score' : 'notify';
    const cmp = compare(s.value, s.threshold);
    const decision = `${s.mode} score ${s.value} ${cmp} threshold ${s.threshold}`;
    const text = s.passed
      ? {
          en: `${at} let a notification through: ${decision}, the app's decision said notify (${s.explanation}); notified ${times(count)} (${labels(n.shown)}), expected no notification`,
          ja: `${at} で通知が通った: ${s.mode} スコア ${s.value} ${cmp} 閾値 ${s.threshold}、アプリの判定は「通知する」（${s.explanation}）。通知 ${count} 回（${labels(n.shown)}）、通知されないはずだった`,
        }
      : {
          en: `notification shown although the app's decision said no (${decision}): ${first.evidence.notify.reason}; notified ${times(count)} (${labels(n.shown)}), expected no notification`,
          ja: `アプリの判定は「通知しない」（${s.mode} スコア ${s.value} ${cmp} 閾値 ${s.threshold}）なのに通知を表示: ${first.evidence.notify.reason}。通知 ${count} 回（${labels(n.shown)}）、通知されないはずだった`,
        };
    const i = CHAIN_LINKS.indexOf(at);
    return links.map((l, j): LinkResult => {
      if (j < i) return l;
      if (j > i) return { ...l, status: 'skipped' };
      // A link already failed ("held; expected a break here") keeps its words, the count added.
      const said =
        l.status === 'failed'
          ? {
              en: `${l.text.en}; notified ${times(count)} (${labels(n.shown)})`,
              ja: `${l.text.ja}。通知 ${count} 回（${labels(n.shown)}）`,
            }
          : text;
      return {
        ...l,
        status: 'failed',
        detail:
          l.status === 'failed' ? `${l.detail}; notified ${times(count)} (${labels(n.shown)})` : said.en,
        text: said,
        evidence: {
          ...(l.evidence ?? {}),
          ...evidence,
          value: s.value,
          threshold: s.threshold,
          decided: s.passed,
        },
      };
    });
  }
  if (meetsCount(n.allowed, count)) return [...links];
  const rule = n.byDefault
    ? {
        en: `${notificationCountText(n.allowed)} (one per exposure day; ${n.episodes} exposure day(s))`,
        ja: `${notificationCountTextJa(n.allowed)}（接触日ごとに 1 回、接触日 ${n.episodes} 日）`,
      }
    : { en: notificationCountText(n.allowed), ja: notificationCountTextJa(n.allowed) };
  const text = {
    en: `notified ${times(count)} (${labels(n.shown)}); the scenario allows ${rule.en}`,
    ja: `通知 ${count} 回（${labels(n.shown)}）。シナリオが許すのは ${rule.ja}`,
  };
  return links.map(
    (l): LinkResult =>
      l.name === 'notify'
        ? {
            ...l,
            status: 'failed',
            detail: `notify ${text.en}`,
            text: { en: `notify ${text.en}`, ja: `notify ${text.ja}` },
            evidence: { ...(l.evidence ?? {}), ...evidence },
          }
        : l,
  );
}
