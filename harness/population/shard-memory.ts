/**
 * Peak memory of one shard against the shard count: `npx tsx harness/population/shard-memory.ts
 * [phones] [shard counts]`, e.g. `100000 1,2,4,8`. Each shard 0/n runs in a fresh process (14 days,
 * seed 1, latest, the embedded stack) and reports its peak RSS (the kernel's maxRSS) and wall time,
 * so one measurement's heap never carries into the next. A measurement, not a test.
 */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const self = fileURLToPath(import.meta.url);

async function child(phones: number, count: number): Promise<void> {
  const { DEFAULT_PARAMS } = await import('./params.js');
  const { runPopulation } = await import('./run.js');
  const { loadRelease } = await import('../scenario/index.js');
  const t0 = process.hrtime.bigint();
  const r = await runPopulation({
    params: { ...DEFAULT_PARAMS, phones, days: 14, seed: 1 },
    release: await loadRelease('latest'),
    nowEpochSeconds: Math.floor(Date.now() / 1000),
    alpha: 0.01,
    ...(count > 1 ? { shard: { index: 0, count } } : {}),
    command: 'shard-memory',
    ichirenVersion: 'bench',
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // maxRSS is in KiB (getrusage).
  const gib = process.resourceUsage().maxRSS / 2 ** 20;
  process.stdout.write(
    `${JSON.stringify({ phones, count, peakGiB: gib, seconds, receivers: r.counts.receiversInShard, meetings: r.counts.meetingsSimulated })}\n`,
  );
}

async function main(): Promise<void> {
  const [mode, a, b] = process.argv.slice(2);
  if (mode === '--child') return child(Number(a), Number(b));
  const phones = Number(mode ?? 100_000);
  const counts = (a ?? '1,2,4,8').split(',').map(Number);
  console.log('phones\tshards\treceivers\tmeetings\tpeak RSS GiB\twall s');
  for (const count of counts) {
    const { stdout } = await execa(
      'node',
      ['--import', 'tsx', self, '--child', String(phones), String(count)],
      {
        stderr: 'inherit',
      },
    );
    const m = JSON.parse(stdout.trim().split('\n').pop() as string);
    console.log(
      `${m.phones}\t${m.count}\t${m.receivers}\t${m.meetings}\t${m.peakGiB.toFixed(2)}\t${m.seconds.toFixed(0)}`,
    );
  }
}

await main();
