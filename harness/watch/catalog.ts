/** Words of `ichiren watch` in Japanese and English (logic produces data; words live here). */
import type { SeriesState } from './state.js';
import type { Platform } from './types.js';

export type Lang = 'ja' | 'en';

export const PLATFORM_NAME: Record<Platform, string> = { android: 'Android', ios: 'iOS' };

export const LINK_NAME: Record<string, Record<Lang, string>> = {
  contact: { ja: '接触', en: 'contact' },
  diagnosis: { ja: '診断', en: 'diagnosis' },
  upload: { ja: '登録', en: 'upload' },
  publish: { ja: '公開', en: 'publish' },
  download: { ja: '取得', en: 'download' },
  match: { ja: '照合', en: 'match' },
  score: { ja: '評価', en: 'score' },
  notify: { ja: '通知', en: 'notify' },
};

/** Observation times are shown in Japan time, as the operators read them. */
export function jst(iso: string): string {
  const d = new Date(Date.parse(iso) + 9 * 3_600_000);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} JST`;
}

export const linkName = (name: string | null, lang: Lang) =>
  name ? (LINK_NAME[name]?.[lang] ?? name) : lang === 'ja' ? '不明' : 'unknown';

/** "Android ✘ since 2026-12-01 10:00 JST" and its Japanese twin, for one platform's state. */
export function platformLine(platform: Platform, state: SeriesState, lang: Lang): string {
  const name = PLATFORM_NAME[platform];
  switch (state.kind) {
    case 'unknown':
      return lang === 'ja' ? `${name} ？（観測なし）` : `${name} ? (not observed)`;
    case 'passing':
      return `${name} ✔`;
    case 'recovered':
      return lang === 'ja'
        ? `${name} ✔ 復旧（${jst(state.since.observedAt)}）`
        : `${name} ✔ recovered (${jst(state.since.observedAt)})`;
    case 'failing':
      return lang === 'ja'
        ? `${name} ✘ ${jst(state.since.observedAt)} から（${linkName(state.since.brokenLink, 'ja')}で途切れた）`
        : `${name} ✘ since ${jst(state.since.observedAt)} (broken at ${linkName(state.since.brokenLink, 'en')})`;
    case 'flapping':
      return lang === 'ja'
        ? `${name} ⚠ 不安定（直近 ${state.window} 回で ${state.flips} 回変化）`
        : `${name} ⚠ flapping (${state.flips} flips in the last ${state.window} observations)`;
  }
}

export const TEXT = {
  title: { ja: 'ichiren 定点観測', en: 'ichiren fixed-point observation' },
  stateChange: { ja: '状態が変わりました', en: 'state changed' },
  dailySummary: { ja: '日次まとめ', en: 'daily summary' },
  kind: {
    failing: { ja: '失敗', en: 'failing' },
    recovered: { ja: '復旧', en: 'recovered' },
    flapping: { ja: '不安定', en: 'flapping' },
    passing: { ja: '正常', en: 'passing' },
    unknown: { ja: '観測なし', en: 'not observed' },
  },
  historyPage: { ja: '定点観測の履歴', en: 'Observation history' },
  firstFailure: { ja: '最初に失敗した観測', en: 'First failing observation' },
  release: { ja: 'リリース', en: 'release' },
  server: { ja: 'サーバー', en: 'server' },
  config: { ja: '設定ハッシュ', en: 'configuration hash' },
  batches: { ja: '公開バッチ番号', en: 'export batches' },
  version: { ja: 'サーバー版', en: 'server version' },
  evidence: { ja: '根拠', en: 'evidence' },
  runs: { ja: '観測', en: 'observations' },
  scenario: { ja: 'シナリオ', en: 'scenario' },
  state: { ja: '状態', en: 'state' },
  timeline: { ja: '時系列', en: 'timeline' },
  noHistory: { ja: 'まだ観測がありません', en: 'No observation yet' },
  brokenAt: { ja: 'で途切れた', en: 'broken at' },
  error: { ja: '観測できなかった', en: 'could not observe' },
} as const;
