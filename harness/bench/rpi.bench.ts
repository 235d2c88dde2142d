/**
 * RPI derivation throughput next to this machine's raw AES-128-ECB throughput, in the same run.
 * Target: deriveRpis reaches ≥ 0.5 of raw AES (population runs derive millions of RPIs).
 * Prints figures only; never asserts timings.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { deriveRpik } from '../protocol/key-derivation.js';
import { deriveRpis } from '../protocol/rpi.js';

const TEKS = 20_000;
const PER_TEK = 144;
const BLOCKS = TEKS * PER_TEK; // 2.88 M blocks
const BIG_BATCH = BLOCKS;

function best(label: string, runs: number, fn: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e9);
  }
  process.stdout.write(`  ${label.padEnd(44)} ${min.toFixed(3)} s\n`);
  return min;
}

const rpiks = Array.from({ length: TEKS }, () => deriveRpik(randomBytes(16)));
const plain = randomBytes(BLOCKS * 16);

process.stdout.write(`blocks per measurement: ${BLOCKS.toLocaleString('en')} (${TEKS} TEKs × ${PER_TEK})\n`);
const rawSeconds = best('raw AES-128-ECB, one cipher, one update', 5, () => {
  const c = createCipheriv('aes-128-ecb', rpiks[0], null);
  c.setAutoPadding(false);
  c.update(plain);
  c.final();
});
const perTekSeconds = best('deriveRpis, per-TEK batches of 144', 5, () => {
  for (let i = 0; i < TEKS; i++) deriveRpis(rpiks[i], 2_650_032, PER_TEK);
});
const mixedSeconds = best('deriveRpis, per-TEK, start day changes each TEK', 5, () => {
  for (let i = 0; i < TEKS; i++) deriveRpis(rpiks[i], 2_650_032 + (i % 14) * PER_TEK, PER_TEK);
});
const bigSeconds = best(`deriveRpis, one batch of ${BIG_BATCH.toLocaleString('en')}`, 5, () => {
  deriveRpis(rpiks[0], 2_650_032, BIG_BATCH);
});

const rate = (s: number) => BLOCKS / s;
const fmt = (r: number) => `${(r / 1e6).toFixed(2)} M/s`;
process.stdout.write(`raw AES-128-ECB blocks/s:          ${fmt(rate(rawSeconds))}\n`);
process.stdout.write(
  `RPIs/s per-TEK batches of 144:     ${fmt(rate(perTekSeconds))}  ratio ${(rawSeconds / perTekSeconds).toFixed(2)} (target ≥ 0.5)\n`,
);
process.stdout.write(
  `RPIs/s per-TEK, day changes:       ${fmt(rate(mixedSeconds))}  ratio ${(rawSeconds / mixedSeconds).toFixed(2)} (target ≥ 0.5)\n`,
);
process.stdout.write(
  `RPIs/s one big batch:              ${fmt(rate(bigSeconds))}  ratio ${(rawSeconds / bigSeconds).toFixed(2)} (target ≥ 0.5)\n`,
);
