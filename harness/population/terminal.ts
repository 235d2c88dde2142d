/** The population result for the person at the terminal: rates per platform, the funnel, the verdict. */
import type { Platform } from '../devices/types.js';
import { POPULATION_LINKS, type PopulationResult } from './results.js';
import type { PopulationComparison } from './run.js';
import { formatP, type Proportion } from './stats.js';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function formatProportion(p: Proportion): string {
  if (p.rate === null || p.interval === null) return `– (0 of 0)`;
  return `${pct(p.rate)} [${pct(p.interval[0])}, ${pct(p.interval[1])}] (${p.successes} of ${p.trials})`;
}

const NAME: Record<Platform, string> = { android: 'Android', ios: 'iOS' };

export function formatPopulation(r: PopulationResult): string {
  const c = r.counts;
  const s = r.summary;
  const level = `${Math.round((1 - s.alpha) * 100)} %`;
  const lines = [
    `population: ${c.phones.toLocaleString('en')} phones, ${r.params.days} days (${r.metadata.firstDay} … ${r.metadata.lastDay}), release ${r.metadata.release}, seed ${r.metadata.seed}${r.metadata.shard ? `, shard ${r.metadata.shard.index}/${r.metadata.shard.count}` : ''}`,
    `  ${c.positives} positives, ${c.uploaders} registered; uploads accepted ${c.uploadsAccepted}, refused ${c.uploadsRefused}; ${c.exportFiles} export files, ${c.exportedKeys} keys published`,
    `  ${c.meetingsSimulated.toLocaleString('en')} meetings with registered positives simulated, ${c.sightings.toLocaleString('en')} sightings`,
    '',
    `close contacts notified (sensitivity, Wilson ${level}):`,
  ];
  for (const p of ['android', 'ios'] as const) {
    lines.push(`  ${NAME[p].padEnd(8)} ${formatProportion(s.platforms[p].sensitivity)}`);
  }
  lines.push('non-close contacts notified (false alarms):');
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
    `platform differential (two-proportion z-test, α = ${s.alpha}): z = ${d.z.toFixed(2)}, p = ${formatP(d.pValue)} → ${d.passed ? 'Android and iOS cannot be told apart ✔' : 'Android and iOS differ ✘'}`,
  );
  return lines.join('\n');
}

export function formatComparison(cmp: PopulationComparison): string {
  const lines = [`what-if: ${cmp.base} → ${cmp.other} (same population, same meetings)`];
  for (const p of ['android', 'ios'] as const) {
    const c = cmp[p];
    lines.push(
      `  ${NAME[p].padEnd(8)} ${formatProportion(c.base)} → ${formatProportion(c.other)}; p = ${formatP(c.test.pValue)}${c.test.indistinguishable ? ' (no significant change)' : ' (significant change)'}`,
    );
  }
  return lines.join('\n');
}
