/** `ichiren watch history` in the terminal: the platform lines, then one line per series. */
import { jst, type Lang, linkName, PLATFORM_NAME, TEXT } from './catalog.js';
import type { SeriesHistory } from './history/store.js';
import { headline } from './rollup.js';

function stateText(s: SeriesHistory, lang: Lang): string {
  const st = s.state;
  const word = TEXT.kind[st.kind][lang];
  switch (st.kind) {
    case 'failing': {
      const p = st.since;
      const id = `#${p.runId}, ${TEXT.release[lang]} ${p.release}, ${TEXT.config[lang]} ${p.identity.configHash ?? '—'}, ${TEXT.batches[lang]} ${p.identity.batchNumbers.slice(-3).join(',') || '—'}${p.identity.serverVersion ? `, ${TEXT.version[lang]} ${p.identity.serverVersion}` : ''}`;
      return lang === 'ja'
        ? `✘ ${word}: ${jst(p.observedAt)} から ${st.failures} 回（${id}）${linkName(p.brokenLink, 'ja')}で途切れた`
        : `✘ ${word} since ${jst(p.observedAt)}, ${st.failures} run(s) (${id}), broken at ${linkName(p.brokenLink, 'en')}`;
    }
    case 'recovered':
      return `✔ ${word} ${jst(st.since.observedAt)} (#${st.since.runId}; ${lang === 'ja' ? '失敗開始' : 'failing since'} ${jst(st.failedSince.observedAt)} #${st.failedSince.runId})`;
    case 'flapping':
      return `⚠ ${word}: ${st.flips}/${st.window - 1} (${(st.flipRate * 100).toFixed(0)}%)`;
    case 'passing':
      return `✔ ${word} ${lang === 'ja' ? `${jst(st.since.observedAt)} から` : `since ${jst(st.since.observedAt)}`}`;
    default:
      return word;
  }
}

/** One block per environment (target): two environments never share a platform line. */
export function formatHistory(series: readonly SeriesHistory[], lang: Lang = 'en'): string {
  if (series.length === 0) return `${TEXT.noHistory[lang]}\n`;
  const targets = [...new Set(series.map((s) => s.key.target))];
  if (targets.length > 1)
    return targets
      .map(
        (t) =>
          `== ${t}\n${formatEnvironment(
            series.filter((s) => s.key.target === t),
            lang,
          )}`,
      )
      .join('\n');
  return formatEnvironment(series, lang);
}

function formatEnvironment(series: readonly SeriesHistory[], lang: Lang): string {
  const width = Math.max(
    ...series.map((s) => `${s.key.scenario}  ${PLATFORM_NAME[s.key.platform]}  ${s.key.app}`.length),
  );
  const lines = series.map(
    (s) =>
      `${`${s.key.scenario}  ${PLATFORM_NAME[s.key.platform]}  ${s.key.app}`.padEnd(width)}  ${s.points
        .map((p) => (p.passed ? '✔' : '✘'))
        .slice(-20)
        .join('')}  ${stateText(s, lang)}`,
  );
  return `${headline(series, 'ja')}\n${headline(series, 'en')}\n\n${lines.join('\n')}\n`;
}
