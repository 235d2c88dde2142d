import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveRpi, deriveRpis, rpiAt } from './rpi.js';

/** Straight from gaen.md §1, one block at a time: the reference the batched path must equal. */
function referenceRpi(rpik: Uint8Array, enin: number): string {
  const padded = Buffer.alloc(16);
  padded.write('EN-RPI', 0, 'ascii');
  padded.writeUInt32LE(enin >>> 0, 12);
  const c = createCipheriv('aes-128-ecb', rpik, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(padded), c.final()]).toString('hex');
}

describe('deriveRpis padded-data reuse', () => {
  it('gives the same RPIs as per-block encryption when calls alternate starts, counts and keys', () => {
    const keys = [randomBytes(16), randomBytes(16)];
    const calls: [number, number, number][] = [
      [0, 2_650_032, 144],
      [1, 2_650_032, 144],
      [0, 2_650_176, 144],
      [1, 2_650_032, 7],
      [0, 2_650_032, 144],
      [1, 2 ** 32 - 3, 3],
      [0, 5, 1000],
    ];
    for (const [k, start, count] of calls) {
      const batch = deriveRpis(keys[k], start, count);
      expect(batch).toHaveLength(count * 16);
      for (const i of [0, Math.floor(count / 2), count - 1]) {
        expect(rpiAt(batch, i).toString('hex'), `${start}+${i}`).toBe(referenceRpi(keys[k], start + i));
      }
    }
    expect(deriveRpi(keys[0], 123).toString('hex')).toBe(referenceRpi(keys[0], 123));
  });
});
