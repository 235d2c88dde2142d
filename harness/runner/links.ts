/**
 * The eight chain links, each defined once, along the keys that cover the contact: for one receiving
 * phone and one sender it met, every link is judged on positive evidence about the sender's keys
 * whose RPIs the receiver recorded. Nothing passes vacuously (docs/links.md is the same table).
 */
import type { CalibrationEvidence } from '../devices/types.js';
import { type KeyRef, keyPeriodEndMs, keyRef, keyRefText } from '../protocol/key-ref.js';
import { type ExportListing, fileName, type ObservedExport } from './export-observer.js';
import type { ChainLinkName, Text } from './results.js';
import type { TraceEvent } from './trace.js';

export type Ev<K extends TraceEvent['link']> = Extract<TraceEvent, { link: K }>;

/** What one link did, before it is held against the expectation. */
export interface Observation {
  readonly ok: boolean;
  readonly detail: string;
  readonly text: Text;
  readonly evidence?: Record<string, unknown>;
}

/** Everything the links of one receiver × sender pair are judged on. */
export interface SenderChain {
  readonly receiver: string;
  readonly sender: string;
  /** What the receiver recorded of the sender over all their encounters. */
  readonly heard: {
    readonly sightings: number;
    readonly rpis: number;
    readonly keys: readonly KeyRef[];
    readonly attenuation: { readonly min: number; readonly max: number } | null;
    /** Advertisements that arrived below the receiver's sensitivity. */
    readonly lost: number;
    readonly calibration?: CalibrationEvidence;
  };
  readonly diagnoses: readonly Ev<'diagnosis'>[];
  readonly uploads: readonly Ev<'upload'>[];
  readonly publishes: readonly Ev<'publish'>[];
  /** list.json and its exports as ichiren read them just before the decisive check (else at the end). */
  readonly listing?: Ev<'listing'>;
  /** The receiver's checks up to and including the decisive one. */
  readonly checks: readonly Ev<'detection'>[];
  readonly decisive?: Ev<'detection'>;
  /** The configuration the scenario requires the app to have used (`configuration: served | fallback`). */
  readonly configuration?: 'served' | 'fallback';
  /** The expectation's deadline, when it has one. */
  readonly by?: { readonly atEpochSeconds: number; readonly label: string };
}

export interface LinkDefinition {
  readonly name: ChainLinkName;
  /** What holding the link means, for the docs and the reports' legend. */
  readonly definition: Text;
  readonly judge: (c: SenderChain) => Observation;
}

function obs(ok: boolean, en: string, ja: string, evidence?: Record<string, unknown>): Observation {
  return { ok, detail: en, text: { ja, en }, ...(evidence ? { evidence } : {}) };
}

/** The receiver ran no exposure check: download, match, score and notify have nothing to judge. */
const neverChecked = (c: SenderChain): Observation =>
  obs(false, `${c.receiver} never checked for exposures`, `${c.receiver} は接触確認を一度も実行せず`);

const keysText = (keys: readonly KeyRef[]) => keys.map(keyRefText).join(', ') || 'none';
const has = (keys: readonly KeyRef[], k: KeyRef) => keys.some((x) => x.hash === k.hash);
const filesText = (files: readonly ObservedExport[]) =>
  files.map((f) => `${f.file} (batch ${f.batchNum})`).join(', ');

/** Signed exports of the listing that hold key `k`. */
const holding = (listing: ExportListing, k: KeyRef) =>
  listing.files.filter((f) => f.signed && has(f.keys, k));

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

function contact(c: SenderChain): Observation {
  const h = c.heard;
  const radio = radioNote(h.lost, h.calibration);
  if (h.keys.length === 0)
    return obs(
      false,
      `${c.receiver} met ${c.sender} but recorded none of its RPIs${radio.en}`,
      `${c.receiver} は ${c.sender} と接触したが RPI を一つも記録していない${radio.ja}`,
      { sightings: h.sightings, ...(h.lost > 0 ? { belowSensitivity: h.lost } : {}) },
    );
  const att = h.attenuation ? `, attenuation ${h.attenuation.min}–${h.attenuation.max} dB` : '';
  return obs(
    true,
    `${c.receiver} recorded ${h.rpis} RPIs (${h.sightings} sightings) of ${c.sender}'s key(s) ${keysText(h.keys)}${att}${radio.en}`,
    `${c.receiver} が ${c.sender} の鍵 ${keysText(h.keys)} の RPI を ${h.rpis} 種（${h.sightings} 回）記録${h.attenuation ? `、減衰 ${h.attenuation.min}–${h.attenuation.max} dB` : ''}${radio.ja}`,
    {
      sender: c.sender,
      sightings: h.sightings,
      distinctRpis: h.rpis,
      keys: h.keys.map(keyRefText),
      ...(h.attenuation ? { minAttenuationDb: h.attenuation.min, maxAttenuationDb: h.attenuation.max } : {}),
      ...(h.lost > 0 ? { belowSensitivity: h.lost } : {}),
      ...(h.calibration ? { calibration: h.calibration } : {}),
    },
  );
}

function diagnosis(c: SenderChain): Observation {
  const issued = c.diagnoses.find((d) => d.ok);
  if (c.diagnoses.length === 0)
    return obs(
      false,
      `${c.sender} was not diagnosed: no processing number was issued`,
      `${c.sender} は診断されていない（処理番号の発行なし）`,
    );
  if (!issued) {
    const error = c.diagnoses[0]?.error ?? 'unknown';
    return obs(
      false,
      `HER-SYS did not issue a number to ${c.sender}: ${error}`,
      `HER-SYS が ${c.sender} に処理番号を発行できず: ${error}`,
    );
  }
  if (c.uploads.length === 0)
    return obs(
      false,
      `HER-SYS issued a processing number to ${c.sender}, but it was never entered in the app`,
      `HER-SYS が ${c.sender} に処理番号を発行したが、アプリで一度も入力されていない`,
    );
  return obs(
    true,
    `HER-SYS issued a processing number to ${c.sender} (${issued.via}); entered in ${c.uploads.length} upload(s)`,
    `HER-SYS が ${c.sender} に処理番号を発行（${issued.via === 'api' ? 'API' : '保健所画面'}）、送信 ${c.uploads.length} 回で入力`,
    { via: issued.via, uploads: c.uploads.length },
  );
}

function upload(c: SenderChain): Observation {
  const acked = c.uploads.filter((u) => u.evidence.ok);
  const last = c.uploads.at(-1);
  if (acked.length === 0) {
    if (!last) return obs(false, `${c.sender} uploaded no keys`, `${c.sender} の診断キー送信なし`);
    const e = last.evidence;
    const why = e.appMessage || e.error || 'no message';
    return e.httpStatus === null
      ? obs(
          false,
          `upload by ${c.sender} failed: no reply from the server (${why})`,
          `${c.sender} の送信が失敗: サーバーから応答なし（${why}）`,
          { httpStatus: null, number: last.number },
        )
      : obs(
          false,
          `upload by ${c.sender} rejected: HTTP ${e.httpStatus} (${why})`,
          `${c.sender} の送信が拒否: HTTP ${e.httpStatus}（${why}）`,
          { httpStatus: e.httpStatus, number: last.number },
        );
  }
  const first = acked[0] as Ev<'upload'>;
  const sent = acked.flatMap((u) => u.evidence.keys);
  const missing = c.heard.keys.filter((k) => !has(sent, k));
  const ack = `HTTP ${first.evidence.httpStatus}, ${first.evidence.endpoint}`;
  const evidence = {
    httpStatus: first.evidence.httpStatus,
    keysSent: sent.length,
    contactKeys: c.heard.keys.map(keyRefText),
    ...(missing.length > 0 ? { notSent: missing.map(keyRefText) } : {}),
    transmissionRiskLevels: first.evidence.transmissionRiskLevels,
  };
  if (sent.length === 0)
    return obs(
      false,
      `the server acknowledged ${c.sender}'s upload of 0 keys (${ack}); the contact's key ${keysText(missing)} was not sent`,
      `サーバーは ${c.sender} の 0 件の送信を受理（${ack}）、接触の鍵 ${keysText(missing)} は送られていない`,
      evidence,
    );
  if (missing.length > 0)
    return obs(
      false,
      `the server acknowledged ${sent.length} key(s) from ${c.sender} (${ack}), but ${missing.length} of the contact's ${c.heard.keys.length} key(s) were not sent: ${keysText(missing)}`,
      `サーバーは ${c.sender} の鍵 ${sent.length} 件を受理（${ack}）したが、接触の鍵 ${c.heard.keys.length} 件のうち ${missing.length} 件が送られていない: ${keysText(missing)}`,
      evidence,
    );
  return obs(
    true,
    `the server acknowledged ${sent.length} key(s) from ${c.sender} (${ack}), among them the contact's ${keysText(c.heard.keys)}`,
    `サーバーが ${c.sender} の鍵 ${sent.length} 件を受理（${ack}）、接触の鍵 ${keysText(c.heard.keys)} を含む`,
    evidence,
  );
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * When each contact key's rolling period ended and when it was first exported (list.json `created`,
 * the server's clock): both on the run's one clock (harness/stack/clock.ts).
 */
function exportTimes(
  listing: ExportListing,
  keys: readonly KeyRef[],
): { key: string; file: string; periodEndMs: number; exportedMs: number }[] {
  return keys.flatMap((k) => {
    const first = holding(listing, k).sort((a, b) => a.created - b.created)[0];
    const exported = first?.keys.find((x) => x.hash === k.hash);
    const periodEndMs = exported ? keyPeriodEndMs(exported) : undefined;
    return first && periodEndMs !== undefined
      ? [{ key: keyRefText(k), file: first.file, periodEndMs, exportedMs: first.created }]
      : [];
  });
}

function publish(c: SenderChain): Observation {
  const l = c.listing?.listing;
  if (!l) return obs(false, 'ichiren could not read list.json', 'list.json を読めなかった');
  if (l.error) return obs(false, `list.json could not be read: ${l.error}`, `list.json を読めず: ${l.error}`);
  const when = c.listing?.before ? 'before the check' : 'at the end of the scenario';
  const whenJa = c.listing?.before ? '確認の前に' : 'シナリオの終わりに';
  const firstAck = c.uploads.find((u) => u.evidence.ok);
  const batches = c.publishes.filter((p) => !firstAck || p.at >= firstAck.at);
  const files = [...new Set(c.heard.keys.flatMap((k) => holding(l, k)))];
  const missing = c.heard.keys.filter((k) => holding(l, k).length === 0);
  const evidence = {
    listed: l.files.length,
    files: files.map((f) => ({ file: f.file, batchNum: f.batchNum, created: f.created })),
    ...(missing.length > 0 ? { missing: missing.map(keyRefText) } : {}),
  };
  if (missing.length === 0) {
    const times = exportTimes(l, c.heard.keys);
    const live = times.filter((t) => t.exportedMs < t.periodEndMs);
    const timed = {
      ...evidence,
      exported: times.map((t) => ({ ...t, periodEnd: iso(t.periodEndMs), exportedAt: iso(t.exportedMs) })),
    };
    // A key still being broadcast must not be published: anyone could replay it (gaen.md §2; ENS
    // exports a key only once its rolling period has ended).
    if (live.length > 0)
      return obs(
        false,
        `the contact's key ${live.map((t) => `${t.key} was exported in ${t.file} at ${iso(t.exportedMs)}, while still being broadcast (its rolling period ran until ${iso(t.periodEndMs)})`).join('; ')}`,
        `接触の鍵 ${live.map((t) => `${t.key} が放送中に ${t.file} で ${iso(t.exportedMs)} に公開された（転がり期間の終わりは ${iso(t.periodEndMs)}）`).join('；')}`,
        timed,
      );
    const ends = times
      .map((t) => `${t.key}: period ended ${iso(t.periodEndMs)}, exported ${iso(t.exportedMs)}`)
      .join('; ');
    return obs(
      true,
      `the contact's key(s) ${keysText(c.heard.keys)} are in signed export ${filesText(files)}, listed ${when}${ends ? ` (${ends})` : ''}`,
      `接触の鍵 ${keysText(c.heard.keys)} は署名付きエクスポート ${filesText(files)} にあり、${whenJa}一覧に掲載${ends ? `（${times.map((t) => `${t.key}: 期間終了 ${iso(t.periodEndMs)}、公開 ${iso(t.exportedMs)}`).join('；')}）` : ''}`,
      timed,
    );
  }
  const failed = batches.find((p) => !p.outcome.ok);
  const cause =
    batches.length === 0
      ? { en: '; no export batch ran after the upload', ja: '。送信後にエクスポートが一度も実行されていない' }
      : failed
        ? {
            en: `; the export batch failed: ${failed.outcome.detail}`,
            ja: `。エクスポート失敗: ${failed.outcome.detail}`,
          }
        : { en: '', ja: '' };
  return obs(
    false,
    `${missing.length} of the contact's ${c.heard.keys.length} key(s) are not in any signed export listed ${when} (${l.files.length} file(s) listed): ${keysText(missing)}${cause.en}`,
    `接触の鍵 ${c.heard.keys.length} 件のうち ${missing.length} 件が、${whenJa}掲載された署名付きエクスポート（${l.files.length} 件）のどれにもない: ${keysText(missing)}${cause.ja}`,
    evidence,
  );
}

function download(c: SenderChain): Observation {
  if (c.checks.length === 0) return neverChecked(c);
  const l = c.listing?.listing;
  const needed = l ? [...new Set(c.heard.keys.flatMap((k) => holding(l, k)))] : [];
  const fetched = new Map<string, boolean>();
  const duplicates = new Set<string>();
  for (const d of c.checks)
    for (const f of d.evidence.download.files) {
      fetched.set(fileName(f.url), (fetched.get(fileName(f.url)) ?? false) || f.verified);
      if (f.rejectedAs === 'EXPORT_DUPLICATE_HEADER') duplicates.add(fileName(f.url));
    }
  const evidence = {
    needed: needed.map((f) => f.file),
    fetched: [...fetched.keys()],
    checks: c.checks.length,
  };
  const unverified = needed.filter((f) => fetched.get(f.file) === false);
  const skipped = needed.filter((f) => !fetched.has(f.file));
  if (needed.length > 0 && unverified.length === 0 && skipped.length === 0)
    return obs(
      true,
      `${c.receiver} fetched and verified ${filesText(needed)}, holding the contact's key(s)`,
      `${c.receiver} が接触の鍵を含む ${filesText(needed)} を取得し署名を検証`,
      evidence,
    );
  const d = c.decisive?.evidence;
  if (d && !d.ran)
    return obs(
      false,
      `exposure check did not run: ${d.notRunReason ?? 'unknown'}`,
      `接触確認が実行されず: ${d.notRunReason ?? '不明'}`,
      evidence,
    );
  if (d?.download.error && !d.download.ok)
    return obs(
      false,
      `download failed: ${d.download.error}`,
      `ダウンロード失敗: ${d.download.error}`,
      evidence,
    );
  const skippedAsDuplicate = unverified.filter((f) => duplicates.has(f.file));
  if (skippedAsDuplicate.length > 0)
    return obs(
      false,
      `${c.receiver} fetched ${filesText(skippedAsDuplicate)}, but the OS skipped it: its start/end/batch header repeats a file provided before (Android de-duplicates by header)`,
      `${c.receiver} は ${filesText(skippedAsDuplicate)} を取得したが、OS が読み飛ばした: 開始・終了・バッチ番号が以前のファイルと同じ（Android はヘッダーで重複を除く）`,
      { ...evidence, skippedAsDuplicate: skippedAsDuplicate.map((f) => f.file) },
    );
  if (unverified.length > 0)
    return obs(
      false,
      `${c.receiver} fetched ${filesText(unverified)}, but its signature did NOT verify${d?.download.error ? `: ${d.download.error}` : ''}`,
      `${c.receiver} は ${filesText(unverified)} を取得したが署名検証に失敗${d?.download.error ? `: ${d.download.error}` : ''}`,
      evidence,
    );
  return obs(
    false,
    `${c.receiver} did not fetch ${filesText(skipped)}, listed and holding the contact's key(s); it fetched ${fetched.size} file(s) in ${c.checks.length} check(s)`,
    `${c.receiver} は接触の鍵を含み一覧に掲載された ${filesText(skipped)} を取得していない（確認 ${c.checks.length} 回で取得 ${fetched.size} 件）`,
    evidence,
  );
}

/** The contact's keys among those the framework matched (raw output names matched keys by key data). */
function matchedContactKeys(c: SenderChain): KeyRef[] | null {
  const raw = c.decisive?.evidence.score.raw.matchedKeys;
  if (!Array.isArray(raw)) return null;
  const matched = raw.map((k: { keyHex: string; rollingStartIntervalNumber: number }) =>
    keyRef({
      keyData: Buffer.from(k.keyHex, 'hex'),
      rollingStartIntervalNumber: k.rollingStartIntervalNumber,
    }),
  );
  return c.heard.keys.filter((k) => has(matched, k));
}

function match(c: SenderChain): Observation {
  const d = c.decisive?.evidence;
  if (!d) return neverChecked(c);
  const contactKeys = matchedContactKeys(c);
  const trl = d.match.matchedTransmissionRiskLevels.join(',') || '-';
  const evidence = {
    matchedKeyCount: d.match.matchedKeyCount,
    transmissionRiskLevels: d.match.matchedTransmissionRiskLevels,
    ...(contactKeys ? { contactKeys: contactKeys.map(keyRefText) } : {}),
  };
  if (contactKeys === null)
    return obs(
      d.match.matchedKeyCount > 0,
      `${d.match.matchedKeyCount} key(s) matched (TRL ${trl})`,
      `キー ${d.match.matchedKeyCount} 件が一致（TRL ${trl}）`,
      evidence,
    );
  return contactKeys.length > 0
    ? obs(
        true,
        `the contact's key(s) ${keysText(contactKeys)} matched (${d.match.matchedKeyCount} matched in all, TRL ${trl})`,
        `接触の鍵 ${keysText(contactKeys)} が一致（一致 ${d.match.matchedKeyCount} 件、TRL ${trl}）`,
        evidence,
      )
    : obs(
        false,
        `none of the contact's key(s) ${keysText(c.heard.keys)} matched (${d.match.matchedKeyCount} other key(s) matched)`,
        `接触の鍵 ${keysText(c.heard.keys)} はどれも一致せず（他の一致 ${d.match.matchedKeyCount} 件）`,
        evidence,
      );
}

/** "≥" or "<" from the numbers themselves, never from the pass/fail outcome. */
export const compare = (value: number, threshold: number) => (value >= threshold ? '≥' : '<');

function score(c: SenderChain): Observation {
  const d = c.decisive?.evidence;
  if (!d) return neverChecked(c);
  const s = d.score;
  const cmp = compare(s.value, s.threshold);
  const config = configurationHeld(d, c.configuration);
  return obs(
    s.passed && config.ok,
    `${s.mode} score ${s.value} ${cmp} threshold ${s.threshold}: ${s.explanation}${config.en}`,
    `${s.mode} スコア ${s.value} ${cmp} 閾値 ${s.threshold}: ${s.explanation}${config.ja}`,
    {
      mode: s.mode,
      value: s.value,
      threshold: s.threshold,
      ...(d.configuration ? { configuration: d.configuration.status } : {}),
    },
  );
}

/**
 * A scenario's `configuration: served | fallback`: the score link holds only when the app used that
 * configuration at the decisive check (evidence from the app's parser, never assumed).
 */
function configurationHeld(d: Ev<'detection'>['evidence'], wanted?: 'served' | 'fallback') {
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

function notify(c: SenderChain): Observation {
  const check = c.decisive;
  if (!check) return neverChecked(c);
  const n = check.evidence.notify;
  if (n.notified && c.by && check.at > c.by.atEpochSeconds)
    return obs(
      false,
      `notified only at ${check.label}, after ${c.by.label}`,
      `通知は ${check.label}（期限 ${c.by.label} より後）`,
    );
  return obs(
    n.notified,
    `${n.notified ? 'notification shown' : 'no notification shown'}: ${n.reason} (${n.exposureCount} exposure(s) on the contact screen)`,
    `${n.notified ? '通知を表示' : '通知なし'}: ${n.reason}（接触画面に ${n.exposureCount} 件）`,
    { exposureCount: n.exposureCount },
  );
}

/** The chain, in order: one definition and one judge per link. */
export const LINKS: readonly LinkDefinition[] = [
  {
    name: 'contact',
    definition: {
      en: "The receiver recorded RPIs of the sender's keys (count, attenuation range; the keys named by rolling start date and short hash).",
      ja: '受信端末が送信者の鍵の RPI を記録した（件数・減衰の範囲、鍵は開始日と短いハッシュで示す）。',
    },
    judge: contact,
  },
  {
    name: 'diagnosis',
    definition: {
      en: 'HER-SYS issued the sender a processing number, and the sender entered it in the app.',
      ja: 'HER-SYS が送信者に処理番号を発行し、送信者がアプリで入力した。',
    },
    judge: diagnosis,
  },
  {
    name: 'upload',
    definition: {
      en: 'The server acknowledged the upload, and the keys whose RPIs the receiver recorded were among the keys sent.',
      ja: 'サーバーが送信を受理し、受信端末が RPI を記録した鍵がその中にあった。',
    },
    judge: upload,
  },
  {
    name: 'publish',
    definition: {
      en: "Those keys are in a signed export that list.json listed before the check (read by ichiren over HTTP; file and batch named), created no earlier than the end of each key's rolling period (a key still being broadcast is never published; both times named).",
      ja: 'それらの鍵が、確認の前に list.json に掲載された署名付きエクスポートにある（ichiren が HTTP で読み、ファイルとバッチを示す）。エクスポートの作成は各鍵の転がり期間の終了以降（放送中の鍵は公開されない。両方の時刻を示す）。',
    },
    judge: publish,
  },
  {
    name: 'download',
    definition: {
      en: 'The receiving phone fetched and verified the file(s) holding those keys; nothing new listed is not a pass.',
      ja: '受信端末がそれらの鍵を含むファイルを取得し署名を検証した（新しいファイルなしは合格ではない）。',
    },
    judge: download,
  },
  {
    name: 'match',
    definition: {
      en: "The OS matched the contact's keys against the recorded RPIs.",
      ja: 'OS が接触の鍵を記録済みの RPI と照合し一致した。',
    },
    judge: match,
  },
  {
    name: 'score',
    definition: {
      en: "The app's risk decision on the framework's output reached its threshold.",
      ja: 'フレームワークの出力に対するアプリのリスク判定が閾値に達した。',
    },
    judge: score,
  },
  {
    name: 'notify',
    definition: {
      en: 'The app showed the user a notification (its user-visible state, observed apart from the score), in time.',
      ja: 'アプリが利用者に通知を表示した（スコアとは別に観測した画面の状態）、期限までに。',
    },
    judge: notify,
  },
];

/** What each link means, by name: the reports' legend and failure notes. */
export const LINK_DEFINITIONS = Object.fromEntries(LINKS.map((l) => [l.name, l.definition])) as Record<
  ChainLinkName,
  Text
>;
