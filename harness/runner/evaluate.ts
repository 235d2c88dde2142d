/**
 * Assertions over a Trace: for each expected phone and each sender it met, judge the chain links
 * along the sender's keys (links.ts), keep the sender whose chain got furthest, then hold it against
 * the expectation (architecture.md "The chain links").
 */
import type { DeviceProfile } from '../devices/types.js';
import type { PlannedExpectation } from '../scenario/plan.js';
import { type Ev, LINKS, type Observation, type SenderChain } from './links.js';
import { judgeNotifications, notificationsOf } from './notifications.js';
import {
  CHAIN_LINKS,
  type ChainLinkName,
  type LinkResult,
  type LinkStatus,
  type PhoneChain,
} from './results.js';
import { senderChain } from './sender.js';
import type { Trace, TraceEvent } from './trace.js';

export type { Observation } from './links.js';

const of = <K extends TraceEvent['link']>(trace: Trace, link: K) =>
  trace.filter((e): e is Ev<K> => e.link === link);

/** How far a check got: ran, matched, scored over the threshold, notified. */
function progress(d: Ev<'detection'>): number {
  const e = d.evidence;
  if (!e.ran) return 0;
  if (e.match.matchedKeyCount === 0) return 1;
  if (!e.score.passed) return 2;
  return e.notify.notified ? 4 : 3;
}

/** The latest of the checks that got furthest. */
function furthest(checks: readonly Ev<'detection'>[]): Ev<'detection'> | undefined {
  let best: Ev<'detection'> | undefined;
  for (const c of checks) if (!best || progress(c) >= progress(best)) best = c;
  return best;
}

/**
 * The decisive exposure check: the first that notified in time, else the one that got furthest
 * along the chain (a later check that found nothing new must not hide that an earlier one matched
 * and then failed at score), the latest of those.
 */
function decisiveCheck(checks: readonly Ev<'detection'>[], expectation?: PlannedExpectation) {
  const inTime = (d: Ev<'detection'>) =>
    expectation?.byEpochSeconds === undefined || d.at <= expectation.byEpochSeconds;
  return (
    checks.find((d) => d.evidence.notify.notified && inTime(d)) ??
    checks.find((d) => d.evidence.notify.notified) ??
    furthest(checks)
  );
}

/** What `receiver` recorded of each phone it met, over all their encounters. */
function heardBySender(trace: Trace, receiver: string): Map<string, SenderChain['heard']> {
  const out = new Map<string, SenderChain['heard']>();
  for (const c of of(trace, 'contact')) {
    const e = c.evidence;
    if (e.a !== receiver && e.b !== receiver) continue;
    const atB = e.b === receiver;
    const sender = atB ? e.a : e.b;
    const prev = out.get(sender) ?? { sightings: 0, rpis: 0, keys: [], attenuation: null, lost: 0 };
    const calibration = prev.calibration ?? (atB ? e.calibrationAtB : e.calibrationAtA);
    const att = atB ? e.attenuationAtB : e.attenuationAtA;
    const keys = [...prev.keys];
    for (const k of atB ? e.keysHeardAtB : e.keysHeardAtA)
      if (!keys.some((x) => x.hash === k.hash)) keys.push(k);
    out.set(sender, {
      sightings: prev.sightings + (atB ? e.sightingsAtB : e.sightingsAtA),
      rpis: prev.rpis + (atB ? e.distinctRpisAtB : e.distinctRpisAtA),
      lost: prev.lost + ((atB ? e.lostAtB : e.lostAtA) ?? 0),
      ...(calibration ? { calibration } : {}),
      keys: keys.sort((x, y) => x.rollingStartIntervalNumber - y.rollingStartIntervalNumber),
      attenuation:
        att === null
          ? prev.attenuation
          : {
              min: Math.min(att.min, prev.attenuation?.min ?? att.min),
              max: Math.max(att.max, prev.attenuation?.max ?? att.max),
            },
    });
  }
  return out;
}

type Observed = Record<ChainLinkName, Observation>;

/** Index of the first link that does not hold (8 when all hold): how far a sender's chain got. */
const reach = (o: Observed) => {
  const i = CHAIN_LINKS.findIndex((n) => !o[n].ok);
  return i === -1 ? CHAIN_LINKS.length : i;
};

/** Observes the eight links as seen by `receiver`, along the sender whose chain got furthest. */
export function observeChain(
  trace: Trace,
  receiver: string,
  expectation?: PlannedExpectation,
): { readonly sender: string | null; readonly links: Observed } {
  const checks = of(trace, 'detection').filter((d) => d.who === receiver);
  const decisive = decisiveCheck(checks, expectation);
  const upTo = decisive ? trace.indexOf(decisive) : trace.length;
  const listing = decisive
    ? trace.slice(0, upTo).findLast((e): e is Ev<'listing'> => e.link === 'listing' && e.before === receiver)
    : of(trace, 'listing').findLast((e) => e.before === undefined);
  const base = {
    receiver,
    publishes: of(trace, 'publish'),
    ...(listing ? { listing } : {}),
    checks: checks.filter((d) => trace.indexOf(d) <= upTo),
    ...(decisive ? { decisive } : {}),
    ...(expectation?.configuration ? { configuration: expectation.configuration } : {}),
    ...(expectation?.byEpochSeconds !== undefined
      ? { by: { atEpochSeconds: expectation.byEpochSeconds, label: expectation.byLabel ?? '' } }
      : {}),
  };
  let best: { sender: string; links: Observed } | null = null;
  for (const [sender, heard] of heardBySender(trace, receiver)) {
    const chain: SenderChain = {
      ...base,
      sender,
      heard,
      diagnoses: of(trace, 'diagnosis').filter((d) => d.patient === sender),
      uploads: of(trace, 'upload').filter((u) => u.who === sender),
    };
    const links = Object.fromEntries(LINKS.map((l) => [l.name, l.judge(chain)])) as Observed;
    if (!best || reach(links) > reach(best.links)) best = { sender, links };
  }
  if (best) return best;
  const none: Observation = {
    ok: false,
    detail: `${receiver} met no other phone`,
    text: { en: `${receiver} met no other phone`, ja: `${receiver} は他の端末と接触していない` },
  };
  return {
    sender: null,
    links: Object.fromEntries(CHAIN_LINKS.map((n) => [n, none])) as Observed,
  };
}

const HELD = { en: 'held; expected a break here', ja: '途切れず（ここで途切れるはずだった）' } as const;

/** Holds observations against the expectation: statuses, in chain order. */
export function judgeLinks(observed: Observed, expectation: PlannedExpectation): LinkResult[] {
  const { notified } = expectation;
  const expectedBreaks = CHAIN_LINKS.filter((n) => expectation.brokenLinks?.includes(n));
  const lastExpected = expectedBreaks.at(-1);
  const breakText = expectedBreaks.join(' or ');
  let stopped = false;
  return CHAIN_LINKS.map((name): LinkResult => {
    const o = observed[name];
    const result = (status: LinkStatus, suffix?: { en: string; ja: string }): LinkResult => ({
      name,
      status,
      detail: suffix ? `${name} ${suffix.en}: ${o.detail}` : o.detail,
      text: suffix
        ? { en: `${name} ${suffix.en}: ${o.text.en}`, ja: `${name} ${suffix.ja}: ${o.text.ja}` }
        : o.text,
      ...(o.evidence ? { evidence: o.evidence } : {}),
      ...(status === 'failed' && o.ok ? { held: true } : {}),
    });
    if (stopped) return result('skipped');
    if (!o.ok) {
      stopped = true;
      if (notified === true) return result('failed');
      if (notified === 'any' || expectedBreaks.length === 0 || expectedBreaks.includes(name))
        return result('expected-failure');
      return result('failed', {
        en: `broke; expected a break at ${breakText}`,
        ja: `で途切れた（${breakText} で途切れるはずだった）`,
      });
    }
    if (notified === false && name === lastExpected) {
      stopped = true;
      return result('failed', HELD);
    }
    if (notified === false && name === 'notify')
      return result('failed', {
        en: 'held; expected no notification',
        ja: '通知あり（通知されないはずだった）',
      });
    return result('passed');
  });
}

export function phoneChain(
  trace: Trace,
  profile: DeviceProfile,
  expectation: PlannedExpectation,
): PhoneChain {
  if (expectation.upload) return senderChain(trace, profile, { ...expectation, upload: expectation.upload });
  const observed = observeChain(trace, profile.id, expectation);
  // Every expectation judges the notifications the user saw, not only the links up to a break.
  const shown = notificationsOf(trace, profile.id, expectation.notifications);
  const links = judgeNotifications(judgeLinks(observed.links, expectation), expectation, shown);
  // Every check of one phone takes the same path (its OS and app do not change during a cell).
  const ran = of(trace, 'detection').filter((d) => d.who === profile.id && d.evidence.ran);
  const enPath = ran.at(-1)?.evidence.score.mode;
  return {
    phone: profile.id,
    platform: profile.platform,
    app: profile.app,
    osVersion: profile.osVersion,
    ...(enPath ? { enPath } : {}),
    sender: observed.sender,
    expectedNotified: expectation.notified === true,
    expectedBrokenLinks: expectation.brokenLinks ?? [],
    notified: shown.shown.length > 0,
    notifications: shown.shown.length,
    allowedNotifications: `${shown.allowed.op} ${shown.allowed.count}`,
    links,
    firstBrokenLink: links.find((l) => l.status === 'failed')?.name ?? null,
  };
}
