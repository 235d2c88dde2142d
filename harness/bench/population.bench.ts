/**
 * `npm run bench -- population`: 10^5 phones for 14 days through the real chain (embedded stack),
 * wall time and peak RSS against the targets (≤ 60 s, ≤ 4 GiB on 2 cores). POPULATION_PHONES
 * overrides the size (e.g. 1000000 for the 15-minute target).
 */
import { DEFAULT_PARAMS } from '../population/params.js';
import { runPopulation } from '../population/run.js';
import { formatPopulation } from '../population/terminal.js';
import { loadRelease } from '../scenario/index.js';

const phones = Number(process.env.POPULATION_PHONES ?? 100_000);
const targetSeconds = phones <= 100_000 ? 60 : 15 * 60;
const targetGiB = 4;

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 200);
const t0 = process.hrtime.bigint();
const result = await runPopulation({
  params: { ...DEFAULT_PARAMS, phones, days: 14 },
  release: await loadRelease('latest'),
  nowEpochSeconds: Math.floor(Date.now() / 1000),
  alpha: 0.01,
  command: 'npm run bench -- population',
  ichirenVersion: 'bench',
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const gib = peak / 2 ** 30;
console.log(formatPopulation(result));
console.log(
  `population ${phones.toLocaleString('en')} phones × 14 days: wall ${seconds.toFixed(1)} s (target ≤ ${targetSeconds} s) ${seconds <= targetSeconds ? '✓' : '✗'}, peak RSS ${gib.toFixed(2)} GiB (target ≤ ${targetGiB} GiB) ${gib <= targetGiB ? '✓' : '✗'}; ${result.counts.meetingsSimulated} meetings, ${result.counts.sightings} sightings`,
);
process.exitCode = seconds <= targetSeconds && gib <= targetGiB ? 0 : 1;
