/**
 * Export file throughput: encode+sign+zip and read+verify of 10^5 and 10^6 keys, each case in its
 * own process so peak RSS is that case's alone. Target for the reference server: 10^6 keys written
 * in ≤ 10 s with ≤ 1 GiB peak. Prints figures only; never asserts timings.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import {
  loadSigner,
  type ParsedExport,
  readExportZip,
  type TemporaryExposureKey,
  verifyExport,
  writeSignedExport,
} from '../protocol/index.js';

const signingDir = new URL('../../fixtures/signing/', import.meta.url);
const MiB = 1024 * 1024;

function keysOf(n: number): TemporaryExposureKey[] {
  const all = randomBytes(16 * n);
  const keys = new Array<TemporaryExposureKey>(n);
  for (let i = 0; i < n; i++) {
    keys[i] = {
      keyData: all.subarray(i * 16, i * 16 + 16),
      rollingStartIntervalNumber: 2_666_736 + (i % 14) * 144,
      rollingPeriod: 144,
      transmissionRiskLevel: i % 9,
      reportType: 1,
      daysSinceOnsetOfSymptoms: (i % 29) - 14,
    };
  }
  return keys;
}

/** Child: one case, prints one JSON line. */
async function runCase(kind: string, n: number, file: string): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  if (kind === 'write') {
    const keys = keysOf(n);
    const signer = loadSigner(
      readFileSync(new URL('test-export-signing-key.pem', signingDir), 'utf8'),
      '440',
      'v1',
    );
    const inputRss = process.memoryUsage().rss;
    const t = performance.now();
    const { zip } = writeSignedExport(
      {
        startTimestamp: 1_600_000_000,
        endTimestamp: 1_600_086_400,
        region: '440',
        batchNum: 1,
        batchSize: 1,
        keys,
        revisedKeys: [],
      },
      [signer],
    );
    const seconds = (performance.now() - t) / 1000;
    writeFileSync(file, zip);
    const out = { seconds, bytes: zip.length, inputRssMiB: inputRss / MiB, rssBeforeMiB: rssBefore / MiB };
    process.stdout.write(
      `${JSON.stringify({ ...out, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
    );
  } else {
    const { createPublicKey } = await import('node:crypto');
    const pub = createPublicKey(readFileSync(new URL('test-export-signing-key.pub.pem', signingDir), 'utf8'));
    const key = {
      keyId: '440',
      version: 'v1',
      publicKeyBase64: pub.export({ format: 'der', type: 'spki' }).toString('base64'),
    };
    const bytes = readFileSync(file);
    const t = performance.now();
    const parsed: ParsedExport = readExportZip(bytes);
    const verdict = verifyExport(parsed, [key]);
    const seconds = (performance.now() - t) / 1000;
    if (!verdict.valid || parsed.export.keys.length !== n)
      throw new Error(`read back wrong: ${verdict.reason}`);
    process.stdout.write(
      `${JSON.stringify({ seconds, bytes: bytes.length, rssBeforeMiB: rssBefore / MiB, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
    );
  }
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'ichiren-export-bench-'));
  try {
    process.stdout.write('keys        case                seconds   peak RSS   zip size\n');
    for (const n of [100_000, 1_000_000]) {
      const file = join(dir, `export-${n}.zip`);
      for (const kind of ['write', 'read']) {
        const child = await execa('node', ['--import', 'tsx', self, '--case', kind, String(n), file]);
        const r = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
        const label = kind === 'write' ? 'encode+sign+zip' : 'read+verify';
        const note = kind === 'write' ? `  (RSS with input keys ${r.inputRssMiB.toFixed(0)} MiB)` : '';
        process.stdout.write(
          `${n.toLocaleString('en').padEnd(11)} ${label.padEnd(18)} ${r.seconds.toFixed(2).padStart(8)} ${`${r.peakRssMiB.toFixed(0)} MiB`.padStart(10)} ${`${(r.bytes / MiB).toFixed(1)} MiB`.padStart(10)}${note}\n`,
        );
      }
    }
    process.stdout.write(
      'target: 10^6 keys encode+sign+zip ≤ 10 s and ≤ 1024 MiB peak (peak includes the input keys)\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--case');
if (at !== -1) await runCase(process.argv[at + 1], Number(process.argv[at + 2]), process.argv[at + 3]);
else await main();
