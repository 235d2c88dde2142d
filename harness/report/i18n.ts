import type { ChainLinkName, LinkStatus, NotRunCell, Text } from '../runner/results.js';

/** Names of the eight links as the report shows them (architecture.md "The chain links"). */
export const LINK_LABELS: Record<ChainLinkName, Text> = {
  contact: { ja: '接触', en: 'contact' },
  diagnosis: { ja: '診断', en: 'diagnosis' },
  upload: { ja: '登録', en: 'upload' },
  publish: { ja: '公開', en: 'publish' },
  download: { ja: '取得', en: 'download' },
  match: { ja: '照合', en: 'match' },
  score: { ja: '評価', en: 'score' },
  notify: { ja: '通知', en: 'notify' },
};

export const PLATFORM_LABELS: Record<'android' | 'ios', string> = { android: 'Android', ios: 'iOS' };

export const STATUS_LABELS: Record<LinkStatus, Text> = {
  passed: { ja: '成立', en: 'held' },
  failed: { ja: '途切れ', en: 'broken' },
  skipped: { ja: '未実施', en: 'skipped' },
  'expected-failure': { ja: '想定どおり不成立', en: 'failed as expected' },
};

/** One symbol per link status, the same in every format. */
export const STATUS_SYMBOLS: Record<LinkStatus, string> = {
  passed: '✔',
  failed: '✘',
  skipped: '–',
  'expected-failure': '⊘',
};

/** Why a planned cell did not run (interrupted runs), the same words in every format. */
export const NOT_RUN_REASONS: Record<NotRunCell['reason'], Text> = {
  'not-started': { ja: '中断のため未実施', en: 'not run: the run was interrupted before this cell started' },
  'cut-short': { ja: '実行中に中断', en: 'not run: the run was interrupted while this cell was running' },
};

/**
 * "Does the notification reach Android users?" — the verdict line, in both languages. A run cut short
 * before any failure establishes nothing: it says "not finished", never ✘.
 */
export function verdictText(
  platform: 'android' | 'ios',
  app: string,
  reaches: boolean,
  notFinished = false,
): Text {
  const p = PLATFORM_LABELS[platform];
  if (notFinished)
    return {
      ja: `通知が${p}に届くか 未完了（${app}）`,
      en: `Notifications reach ${p}: not finished (${app})`,
    };
  const mark = reaches ? '✔' : '✘';
  return {
    ja: `通知が${p}に届く ${mark}（${app}）`,
    en: `Notifications reach ${p} ${mark} (${app})`,
  };
}
