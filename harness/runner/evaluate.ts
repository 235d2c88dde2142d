/**
 * Assertions over a Trace: for each expected phone, judge each chain link from the evidence, then
 * hold the observation against the expectation (architecture.md "The chain links").
 */
import type { CalibrationEvidence, DeviceProfile } from '../devices/types.js';
import type { PlannedExpectation } from '../scenario/plan.js';
import {
  CHAIN_LINKS,
  type ChainLinkName,
  type LinkResult,
  type LinkStatus,
  type PhoneChain,
  type Text,
} from './results.js';
import type { Trace, TraceEvent } from './trace.js';

/** What one link did, before it is held against the expectation. */
export interface Observation {
  readonly ok: boolean;
  readonly detail: string;
  readonly text: Text;
  readonly evidence?: Record<string, unknown>;
}

type Ev<K extends TraceEvent['link']> = Extract<TraceEvent, { link: K }>;
const of = <K extends TraceEvent['link']>(trace: Trace, link: K) =>
  trace.filter((e): e is Ev<K> => e.link === link);

function obs(ok: boolean, en: string, ja: string, evidence?: Record<string, unknown>): Observation {
  return { ok, detail: en, text: { ja, en }, ...(evidence ? { evidence } : {}) };
}

/**
 * The download link holds when list.json was read and every new file verified — vacuously when
 * nothing new was published since the phone's last check (then match tells what is missing).
 */
function downloadOk(e: Ev<'detection'>['evidence']): boolean {
  return e.download.ok && (e.download.filesFetched === 0 || e.download.signatureVerified);
}

const SIGNATURE_TEXT = {
  none: { en: 'no new file', ja: '新しいファイルなし' },
  verified: { en: 'signature verified', ja: '署名検証済み' },
  failed: { en: 'signature NOT verified', ja: '署名検証失敗' },
} as const;

const signatureText = (e: Ev<'detection'>['evidence'], lang: 'en' | 'ja'): string =>
  SIGNATURE_TEXT[
    e.download.filesFetched === 0 ? 'none' : e.download.signatureVerified ? 'verified' : 'failed'
  ][lang];

/** How far a check got: ran, downloaded and verified, matched, scored over the threshold. */
function progress(d: Ev<'detection'>): number {
  const e = d.evidence;
  if (!e.ran) return 0;
  if (!downloadOk(e)) return 1;
  if (e.match.matchedKeyCount === 0) return 2;
  return e.score.passed ? 4 : 3;
}

const signed = (v: number): string => (v > 0 ? `+${v}` : `${v}`);

/**
 * Radio facts behind a contact: advertisements lost below the receiver's sensitivity, and a calibration
 * that does not match the hardware (table value vs true value), which shifts every attenuation.
 */
function radioNote(lost: number, c: CalibrationEvidence | undefined): { en: string; ja: string } {
  const parts = { en: '', ja: '' };
  if (lost > 0) {
    parts.en += `; ${lost} advertisements arrived below the receiver's sensitivity`;
    parts.ja += `；${lost} 件の広告が受信感度未満`;
  }
  if (c && (c.attenuationErrorDb !== 0 || c.correctionMatchedBy !== 'model')) {
    const e = signed(c.attenuationErrorDb);
    parts.en +=
      `; calibration: ${c.receiverModel} adds the table's ${signed(c.tableCorrectionDb)} dB (matched by ${c.correctionMatchedBy}) but truly reads ${c.trueOffsetDb} dB low, ` +
      `${c.senderModel} advertises ${c.advertisedTxDbm} dBm for a true ${c.trueTxDbm} dBm: attenuation = path loss ${e} dB`;
    parts.ja +=
      `；較正: ${c.receiverModel} は表の補正 ${signed(c.tableCorrectionDb)} dB（${c.correctionMatchedBy} で一致）を加えるが実機は ${c.trueOffsetDb} dB 低く測る。` +
      `${c.senderModel} の広告 TX ${c.advertisedTxDbm} dBm（実機 ${c.trueTxDbm} dBm）: 減衰 = 経路損失 ${e} dB`;
  }
  return parts;
}

/** The latest of the checks that got furthest. */
function furthest(checks: readonly Ev<'detection'>[]): Ev<'detection'> | undefined {
  let best: Ev<'detection'> | undefined;
  for (const c of checks) if (!best || progress(c) >= progress(best)) best = c;
  return best;
}

/**
 * A scenario's `configuration: served | fallback`: the score link holds only when the app used that
 * configuration at the decisive check (evidence from the app's parser, never assumed).
 */
function configurationHeld(
  d: Ev<'detection'>['evidence'],
  expectation?: PlannedExpectation,
): { ok: boolean; en: string; ja: string } {
  const wanted = expectation?.configuration;
  if (wanted === undefined) return { ok: true, en: '', ja: '' };
  const used = d.configuration?.status ?? 'unknown';
  if (used === wanted)
    return { ok: true, en: ` (configuration ${used} as required)`, ja: `（設定: 要求どおり ${used}）` };
  return {
    ok: false,
    en: ` — configuration required: ${wanted}, used: ${used} (${d.configuration?.source ?? 'no evidence'})`,
    ja: ` — 要求された設定: ${wanted}、使われた設定: ${used}（${d.configuration?.source ?? '証跡なし'}）`,
  };
}

/** Observes the eight links as seen by `receiver`. */
export function observeChain(
  trace: Trace,
  receiver: string,
  expectation?: PlannedExpectation,
): Record<ChainLinkName, Observation> {
  // The positives that matter to this receiver: phones it met that were diagnosed or uploaded.
  // (A shared server publishes every cell's keys; a phone only matches what it saw.)
  const contacts = of(trace, 'contact').filter((c) => c.evidence.a === receiver || c.evidence.b === receiver);
  const met = new Set(contacts.map((c) => (c.evidence.a === receiver ? c.evidence.b : c.evidence.a)));
  const positives = new Set(
    [...of(trace, 'diagnosis').map((d) => d.patient), ...of(trace, 'upload').map((u) => u.who)].filter((p) =>
      met.has(p),
    ),
  );
  // Met only phones that never reported: contact is judged on them, the chain then breaks at diagnosis.
  if (positives.size === 0) for (const p of met) positives.add(p);
  const uploads = of(trace, 'upload').filter((u) => positives.has(u.who));
  const diagnoses = of(trace, 'diagnosis').filter((d) => positives.has(d.patient));

  // contact: what the receiver heard of the positives' RPIs.
  let sightings = 0;
  let rpis = 0;
  let lost = 0;
  let minAtt: number | null = null;
  let encounters = 0;
  let calibration: CalibrationEvidence | undefined;
  for (const c of contacts) {
    const e = c.evidence;
    const heardAtB = e.b === receiver && positives.has(e.a);
    const heardAtA = e.a === receiver && positives.has(e.b);
    if (!heardAtA && !heardAtB) continue;
    encounters++;
    sightings += heardAtB ? e.sightingsAtB : e.sightingsAtA;
    rpis += heardAtB ? e.distinctRpisAtB : e.distinctRpisAtA;
    lost += (heardAtB ? e.lostAtB : e.lostAtA) ?? 0;
    calibration ??= heardAtB ? e.calibrationAtB : e.calibrationAtA;
    const att = heardAtB ? e.attenuationAtB : e.attenuationAtA;
    if (att) minAtt = minAtt === null ? att.min : Math.min(minAtt, att.min);
  }
  const radio = radioNote(lost, calibration);
  const contact =
    encounters === 0
      ? obs(false, `${receiver} met no other phone`, `${receiver} は他の端末と接触していない`)
      : obs(
          sightings > 0,
          `${receiver} recorded ${sightings} sightings (${rpis} RPIs) of ${[...positives].join(', ')}${minAtt === null ? '' : `, attenuation >= ${minAtt} dB`}${radio.en}`,
          `${receiver} が ${[...positives].join('・')} の RPI を ${sightings} 回（${rpis} 種）記録${minAtt === null ? '' : `（減衰 ${minAtt} dB 以上）`}${radio.ja}`,
          {
            sightings,
            distinctRpis: rpis,
            minAttenuationDb: minAtt,
            ...(lost > 0 ? { belowSensitivity: lost } : {}),
            ...(calibration ? { calibration } : {}),
          },
        );

  const dx = diagnoses;
  const dxOk = dx.find((d) => d.ok);
  const diagnosis =
    dx.length === 0
      ? obs(false, 'no phone this receiver met was diagnosed', '接触相手の診断（処理番号の発行）なし')
      : dxOk
        ? obs(
            true,
            `HER-SYS issued a processing number to ${dxOk.patient} (${dxOk.via})`,
            `HER-SYS が ${dxOk.patient} に処理番号を発行（${dxOk.via === 'api' ? 'API' : '保健所画面'}）`,
          )
        : obs(
            false,
            `HER-SYS did not issue a number: ${dx[0]?.error ?? 'unknown'}`,
            `HER-SYS が処理番号を発行できず: ${dx[0]?.error ?? '不明'}`,
          );

  const upOk = uploads.find((u) => u.evidence.ok);
  const upLast = uploads.at(-1);
  const upload = upOk
    ? obs(
        true,
        `server accepted ${upOk.evidence.keysSubmitted} TEKs from ${upOk.who} (HTTP ${upOk.evidence.httpStatus}, ${upOk.evidence.endpoint})`,
        `サーバーが ${upOk.who} の TEK ${upOk.evidence.keysSubmitted} 件を受理（HTTP ${upOk.evidence.httpStatus}、${upOk.evidence.endpoint}）`,
        {
          httpStatus: upOk.evidence.httpStatus,
          keys: upOk.evidence.keysSubmitted,
          transmissionRiskLevels: upOk.evidence.transmissionRiskLevels,
        },
      )
    : upLast
      ? obs(
          false,
          upLast.evidence.httpStatus === null
            ? `upload by ${upLast.who} failed: no reply from the server (${upLast.evidence.appMessage || upLast.evidence.error || 'no message'})`
            : `upload by ${upLast.who} rejected: HTTP ${upLast.evidence.httpStatus} (${upLast.evidence.appMessage || upLast.evidence.error || 'no message'})`,
          upLast.evidence.httpStatus === null
            ? `${upLast.who} の送信が失敗: サーバーから応答なし（${upLast.evidence.appMessage || upLast.evidence.error || 'メッセージなし'}）`
            : `${upLast.who} の送信が拒否: HTTP ${upLast.evidence.httpStatus}（${upLast.evidence.appMessage || upLast.evidence.error || 'メッセージなし'}）`,
          { httpStatus: upLast.evidence.httpStatus, number: upLast.number },
        )
      : obs(false, 'no diagnosis keys were uploaded', '診断キーの送信なし');

  const pubs = of(trace, 'publish').filter((p) => !upOk || p.at >= upOk.at);
  const pubOk = pubs.find((p) => p.outcome.ok);
  const publish = pubOk
    ? obs(
        true,
        `export batch ran: ${pubOk.outcome.files.length} file(s), ${pubOk.outcome.files.reduce((n, f) => n + f.keyCount, 0)} keys`,
        `エクスポートを実行: ファイル ${pubOk.outcome.files.length} 件、キー ${pubOk.outcome.files.reduce((n, f) => n + f.keyCount, 0)} 件`,
        { files: pubOk.outcome.files.length },
      )
    : pubs.length > 0
      ? obs(
          false,
          `export batch failed: ${pubs[0]?.outcome.detail}`,
          `エクスポート失敗: ${pubs[0]?.outcome.detail}`,
        )
      : obs(false, 'no export was published after the upload', '送信後にエクスポートの公開なし');

  // links 5–8: the decisive exposure check — the first that notified in time, else the one that got
  // furthest along the chain (a later check that found no new file must not hide that an earlier one
  // matched and then failed at score), the latest of those.
  const checks = of(trace, 'detection').filter((d) => d.who === receiver);
  const inTime = (d: Ev<'detection'>) =>
    expectation?.byEpochSeconds === undefined || d.at <= expectation.byEpochSeconds;
  const decisive =
    checks.find((d) => d.evidence.notify.notified && inTime(d)) ??
    checks.find((d) => d.evidence.notify.notified) ??
    furthest(checks);
  if (!decisive) {
    const none = obs(
      false,
      `${receiver} never checked for exposures`,
      `${receiver} は接触確認を一度も実行せず`,
    );
    return { contact, diagnosis, upload, publish, download: none, match: none, score: none, notify: none };
  }
  const d = decisive.evidence;
  const download = !d.ran
    ? obs(
        false,
        `exposure check did not run: ${d.notRunReason ?? 'unknown'}`,
        `接触確認が実行されず: ${d.notRunReason ?? '不明'}`,
      )
    : obs(
        downloadOk(d),
        `fetched ${d.download.listEntries} list entries, ${d.download.filesFetched} file(s), ${d.download.keysDownloaded} keys; ${signatureText(d, 'en')}${d.download.error ? `: ${d.download.error}` : ''}`,
        `一覧 ${d.download.listEntries} 件、ファイル ${d.download.filesFetched} 件、キー ${d.download.keysDownloaded} 件を取得、${signatureText(d, 'ja')}${d.download.error ? `: ${d.download.error}` : ''}`,
        { ...d.download },
      );
  const match = obs(
    d.match.matchedKeyCount > 0,
    `${d.match.matchedKeyCount} key(s) matched (TRL ${d.match.matchedTransmissionRiskLevels.join(',') || '-'})`,
    `キー ${d.match.matchedKeyCount} 件が一致（TRL ${d.match.matchedTransmissionRiskLevels.join(',') || '-'}）`,
    {
      matchedKeyCount: d.match.matchedKeyCount,
      transmissionRiskLevels: d.match.matchedTransmissionRiskLevels,
    },
  );
  const cmp = d.score.passed ? '>=' : '<';
  const config = configurationHeld(d, expectation);
  const score = obs(
    d.score.passed && config.ok,
    `${d.score.mode} score ${d.score.value} ${cmp} threshold ${d.score.threshold}: ${d.score.explanation}${config.en}`,
    `${d.score.mode} スコア ${d.score.value} ${d.score.passed ? '≥' : '<'} 閾値 ${d.score.threshold}: ${d.score.explanation}${config.ja}`,
    {
      mode: d.score.mode,
      value: d.score.value,
      threshold: d.score.threshold,
      ...(d.configuration ? { configuration: d.configuration.status } : {}),
    },
  );
  const late = d.notify.notified && !inTime(decisive);
  const notify = late
    ? obs(
        false,
        `notified only at ${decisive.label}, after ${expectation?.byLabel}`,
        `通知は ${decisive.label}（期限 ${expectation?.byLabel} より後）`,
      )
    : obs(
        d.notify.notified,
        `${d.notify.notified ? 'notified' : 'not notified'}: ${d.notify.reason} (${d.notify.exposureCount} exposure(s) stored)`,
        `${d.notify.notified ? '通知あり' : '通知なし'}: ${d.notify.reason}（接触 ${d.notify.exposureCount} 件）`,
        { exposureCount: d.notify.exposureCount },
      );
  return { contact, diagnosis, upload, publish, download, match, score, notify };
}

/** Holds observations against the expectation: statuses, in chain order. */
export function judgeLinks(
  observed: Record<ChainLinkName, Observation>,
  expectation: PlannedExpectation,
): LinkResult[] {
  let stopped = false;
  return CHAIN_LINKS.map((name): LinkResult => {
    const o = observed[name];
    const result = (status: LinkStatus, detail = o.detail, text = o.text): LinkResult => ({
      name,
      status,
      detail,
      text,
      ...(o.evidence ? { evidence: o.evidence } : {}),
    });
    if (stopped) return result('skipped');
    const { notified, brokenLink } = expectation;
    if (notified === true) {
      if (o.ok) return result('passed');
      stopped = true;
      return result('failed');
    }
    if (brokenLink !== undefined && name === brokenLink) {
      stopped = true;
      return o.ok
        ? result('failed', `${o.detail} — expected this link to break`, {
            ja: `${o.text.ja} — この段階で途切れるはずだった`,
            en: `${o.text.en} — expected this link to break`,
          })
        : result('expected-failure');
    }
    if (o.ok) {
      if (name === 'notify' && notified === false) {
        return result('failed', `${o.detail} — expected no notification`, {
          ja: `${o.text.ja} — 通知されないはずだった`,
          en: `${o.text.en} — expected no notification`,
        });
      }
      return result('passed');
    }
    stopped = true;
    // A negative case broken earlier than the link it names is a failure; else the break is expected.
    return result(brokenLink !== undefined && notified === false ? 'failed' : 'expected-failure');
  });
}

export function phoneChain(
  trace: Trace,
  profile: DeviceProfile,
  expectation: PlannedExpectation,
): PhoneChain {
  const observed = observeChain(trace, profile.id, expectation);
  const links = judgeLinks(observed, expectation);
  return {
    phone: profile.id,
    platform: profile.platform,
    app: profile.app,
    expectedNotified: expectation.notified === true,
    notified: of(trace, 'detection').some((d) => d.who === profile.id && d.evidence.notify.notified),
    links,
    firstBrokenLink: links.find((l) => l.status === 'failed')?.name ?? null,
  };
}
