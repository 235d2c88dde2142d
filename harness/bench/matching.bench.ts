/**
 * Framework matching benchmark (prints figures, asserts nothing): a phone holding 14 days of
 * sightings (288 scans/day × 10 nearby devices = 40,320) matched against 10^4 and 10^5 downloaded
 * keys (target: 10^5 in ≤ 2 s, ≤ 512 MiB). Two measurements per case:
 * - match: index the sightings, resolve keys, derive 144 RPIs per key, look up, score v1 (Android);
 * - detect: the whole framework.detectV1 on one signed export zip (read, verify, match, score).
 * Each case runs in its own process so peak RSS is its own.
 * Run: `npm run bench -- matching` or `node --import tsx harness/bench/matching.bench.ts [case]`.
 */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const self = fileURLToPath(import.meta.url);
const CASES = ['10000', '100000'];
const DAYS = 14;
const SCANS_PER_DAY = 288;
const NEARBY = 10;
const MATCHING_KEYS = 20;

async function runCase(n: number): Promise<void> {
  const { freshSigner } = await import('../protocol/export/test-helpers.js');
  const { writeSignedExport } = await import('../protocol/export/write.js');
  const { createFramework, detectV1FromKeys, buildSightingIndex } = await import(
    '../devices/framework/index.js'
  );
  const { COCOA_V1_CONFIG, DAY0, seededRandom, sender } = await import(
    '../devices/framework/test-helpers.js'
  );
  const random = seededRandom(`bench-${n}`);
  const { signer, publicKey } = freshSigner('440');
  const fw = createFramework({
    platform: 'android',
    osVersion: '11',
    random,
    metadata: { version: '1.1', txPower: -10, calibrationConfidence: 3 },
    verificationKeys: [publicKey],
  });
  const now = DAY0 + DAYS * 86_400;
  // One TEK per nearby device per day; one sighting per device per scan (every 300 s).
  const senders = [];
  const sightings = [];
  for (let d = 0; d < DAYS; d++) {
    for (let k = 0; k < NEARBY; k++) {
      const s = sender(DAY0 + d * 86_400, random);
      senders.push(s);
      for (let scan = 0; scan < SCANS_PER_DAY; scan++) {
        const t = DAY0 + d * 86_400 + scan * 300 + k;
        const sighting = s.sightingAt(t, 40 + ((scan + k) % 40), t - 300);
        sightings.push(sighting);
        fw.recordSighting(sighting);
      }
    }
  }
  const keys = [];
  for (let i = 0; i < n - MATCHING_KEYS; i++) {
    keys.push({
      keyData: random(16),
      rollingStartIntervalNumber: (DAY0 / 600 / 144 + (i % DAYS)) * 144,
      rollingPeriod: 144,
      transmissionRiskLevel: 0,
    });
  }
  for (let i = 0; i < MATCHING_KEYS; i++) keys.push({ ...senders[i * 7].key, transmissionRiskLevel: 4 });

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let t0 = performance.now();
  const index = buildSightingIndex(sightings);
  const tIndex = performance.now() - t0;
  t0 = performance.now();
  const matched = detectV1FromKeys({
    platform: 'android',
    keys,
    sightings: index,
    configuration: COCOA_V1_CONFIG,
    nowEpochSeconds: now,
  });
  const tMatch = performance.now() - t0;

  const { zip } = writeSignedExport(
    {
      startTimestamp: DAY0,
      endTimestamp: now,
      region: '440',
      batchNum: 1,
      batchSize: 1,
      keys,
      revisedKeys: [],
    },
    [signer],
  );
  global.gc?.();
  t0 = performance.now();
  const detected = fw.detectV1({ files: [zip], configuration: COCOA_V1_CONFIG, nowEpochSeconds: now });
  const tDetect = performance.now() - t0;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const matchedCount = detected.kind === 'v1' ? detected.matchedKeyCount : -1;
  console.log(
    [
      `keys=${n}`,
      `sightings=${sightings.length}`,
      `index=${tIndex.toFixed(0)}ms`,
      `match+score=${tMatch.toFixed(0)}ms (matched ${matched.matchedKeyCount})`,
      `detectV1(zip ${(zip.length / 1024 / 1024).toFixed(1)} MiB: read+verify+match+score)=${tDetect.toFixed(0)}ms (matched ${matchedCount})`,
      `rss before match=${(rssBefore / 1024 / 1024).toFixed(0)}MiB`,
      `peak rss=${peakMiB.toFixed(0)}MiB`,
    ].join('  '),
  );
}

const wanted = process.argv[2];
if (wanted) {
  await runCase(Number(wanted));
} else {
  for (const c of CASES) {
    await execa('node', ['--expose-gc', '--import', 'tsx', self, c], { stdio: 'inherit', reject: false });
  }
}
