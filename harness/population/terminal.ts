/** The population result for the person at the terminal: rates per platform, the funnel, the verdicts. */
import type { Platform } from '../devices/types.js';
import type { JudgedExpectation } from './expectations.js';
import { CLOSE_CONTACT } from './model.js';
import { POPULATION_LINKS, type PopulationResult } from './results.js';
import type { PopulationComparison, RateChange } from './run.js';
import { formatP, POWER, type Proportion, type Resolution } from './stats.js';
import { DISTANCE_MODEL, type EffectiveThreshold, PROBE_MAX_DB } from './threshold.js';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const pp = (x: number) => `${(x * 100).toFixed(1)} pp`;

export function formatProportion(p: Proportion): string {
  if (p.rate === null || p.interval === null) return `– (0 of 0)`;
  return `${pct(p.rate)} [${pct(p.interval[0])}, ${pct(p.interval[1])}] (${p.successes} of ${p.trials})`;
}

const NAME: Record<Platform, string> = { android: 'Android', ios: 'iOS' };
const RATE_NAME = { sensitivity: 'sensitivity', falseAlarm: 'false alarms' } as const;

/** "≤ 63 dB (≈ 3.1 m), ≥ 13 min at 1 m", or why there is no threshold. */
export function formatThreshold(t: EffectiveThreshold): string {
  const at = t.minutesAt1m === null ? '' : `, ≥ ${t.minutesAt1m} min at 1 m`;
  if (t.attenuationDb === null) return 'never notifies (no contact reaches the score)';
  if (t.attenuationDb >= PROBE_MAX_DB) return `any match notifies (no attenuation limit)${at}`;
  return `≤ ${t.attenuationDb} dB (≈ ${t.distanceM} m)${at}`;
}

/** The close-contact definition and each build's effective threshold, side by side. */
export function formatThresholds(r: PopulationResult): string[] {
  const lines = [
    `close contact (ground truth): ≤ ${CLOSE_CONTACT.distanceM} m for ≥ ${CLOSE_CONTACT.minutes} min (MHLW 濃厚接触者)`,
    `effective threshold of each build (30-minute contact; metres by ${DISTANCE_MODEL.source}):`,
  ];
  for (const t of r.counts.thresholds)
    lines.push(
      `  ${NAME[t.platform].padEnd(8)} ${`${t.osVersion} ${t.app} EN ${t.path}`.padEnd(28)} ${formatThreshold(t)}`,
    );
  return lines;
}

/** "inconclusive (n too small: detectable difference ≥ 12.3 pp at α = 0.01, 80 % power)". */
export function formatResolution(v: Resolution, detectable: number | null, alpha: number): string {
  const mdd =
    detectable === null
      ? 'no trials'
      : `detectable difference ≥ ${pp(detectable)} at α = ${alpha}, ${POWER * 100} % power`;
  if (v === 'differ') return 'differ ✘';
  if (v === 'same') return `cannot be told apart ✔ (${mdd})`;
  return `inconclusive (n too small: ${mdd})`;
}

export function formatExpectation(e: JudgedExpectation): string {
  const mark =
    e.verdict === 'holds'
      ? '✔'
      : e.verdict === 'fails'
        ? '✘'
        : '? inconclusive (interval straddles the bound)';
  return `  ${NAME[e.platform].padEnd(8)} ${RATE_NAME[e.rate]} ${e.bound.op} ${e.bound.value}: ${formatProportion(e.proportion)} ${mark}`;
}

export function formatPopulation(r: PopulationResult): string {
  const c = r.counts;
  const s = r.summary;
  const level = `${Math.round((1 - s.alpha) * 100)} %`;
  const lines = [
    `population: ${c.phones.toLocaleString('en')} phones, ${r.params.days} days (${r.metadata.firstDay} … ${r.metadata.lastDay}), release ${r.metadata.release}, seed ${r.metadata.seed}${r.metadata.shard ? `, shard ${r.metadata.shard.index}/${r.metadata.shard.count}` : ''}${r.metadata.shardsMerged ? `, ${r.metadata.shardsMerged} shards merged` : ''}`,
    `  ${c.positives} positives, ${c.uploaders} registered; uploads accepted ${c.uploadsAccepted}, refused ${c.uploadsRefused}; ${c.exportFiles} export files, ${c.exportedKeys} keys published`,
    `  ${c.meetingsSimulated.toLocaleString('en')} meetings with registered positives simulated, ${c.sightings.toLocaleString('en')} sightings`,
    ...formatThresholds(r),
    '',
    `close contacts notified (sensitivity, exact ${level}):`,
  ];
  for (const p of ['android', 'ios'] as const) {
    lines.push(`  ${NAME[p].padEnd(8)} ${formatProportion(s.platforms[p].sensitivity)}`);
  }
  lines.push(`non-close contacts notified (false alarms, exact ${level}):`);
  for (const p of ['android', 'ios'] as const) {
    lines.push(`  ${NAME[p].padEnd(8)} ${formatProportion(s.platforms[p].falseAlarms)}`);
  }
  lines.push('close contacts lost at each link:');
  lines.push(`  ${''.padEnd(8)} ${POPULATION_LINKS.map((l) => l.padStart(9)).join('')}`);
  for (const p of ['android', 'ios'] as const) {
    lines.push(
      `  ${NAME[p].padEnd(8)} ${POPULATION_LINKS.map((l) => String(s.platforms[p].lostAt[l]).padStart(9)).join('')}`,
    );
  }
  const d = s.differential;
  lines.push(
    `platform differential of sensitivity (two-proportion z-test, α = ${s.alpha}): z = ${d.z.toFixed(2)}, p = ${formatP(d.pValue)} → Android and iOS ${formatResolution(d.verdict, d.detectableDifference, s.alpha)}`,
  );
  if (s.expectations.length > 0) {
    lines.push(`expectations (exact ${level} interval):`);
    for (const e of s.expectations) lines.push(formatExpectation(e));
  }
  return lines.join('\n');
}

function formatChange(name: string, c: RateChange, alpha: number): string {
  const delta =
    c.base.rate === null || c.other.rate === null
      ? ''
      : ` (${c.other.rate >= c.base.rate ? '+' : '−'}${pp(Math.abs(c.other.rate - c.base.rate))})`;
  const verdict =
    c.verdict === 'differ'
      ? 'changed'
      : formatResolution(c.verdict, c.test.detectableDifference, alpha).replace(
          'cannot be told apart',
          'no change',
        );
  return `    ${name.padEnd(13)} ${formatProportion(c.base)} → ${formatProportion(c.other)}${delta}; p = ${formatP(c.test.pValue)}: ${verdict}`;
}

export function formatComparison(cmp: PopulationComparison, alpha: number): string {
  const lines = [`what-if: ${cmp.base} → ${cmp.other} (same population, same meetings)`];
  for (const p of ['android', 'ios'] as const) {
    lines.push(`  ${NAME[p]}`);
    lines.push(formatChange('sensitivity', cmp[p].sensitivity, alpha));
    lines.push(formatChange('false alarms', cmp[p].falseAlarms, alpha));
  }
  return lines.join('\n');
}
