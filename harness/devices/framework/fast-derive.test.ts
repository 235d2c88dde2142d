import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveRpik } from '../../protocol/key-derivation.js';
import { deriveRpis } from '../../protocol/rpi.js';
import { fastRpik, fastRpis } from './fast-derive.js';

describe('hot-path derivation equals the protocol derivation', () => {
  it('reproduces the GAEN test vector RPIK and RPIs 0 and 143 (gaen.md §1)', () => {
    const tek = Buffer.from('75c734c6dd1a782de7a965da5eb93125', 'hex');
    const rpik = fastRpik(tek);
    expect(rpik.toString('hex')).toBe('185ad91db69ec7dd048960f1f3ba6175');
    const rpis = fastRpis(rpik, 2642976);
    expect(rpis.subarray(0, 16).toString('hex')).toBe('8be6cd371c5c891604bfbe49df845096');
    expect(rpis.subarray(143 * 16).toString('hex')).toBe('f431b62ecf443102ce4ed0407de54bd4');
  });

  it('matches hkdfSync / deriveRpis for 500 random keys and starts', () => {
    for (let i = 0; i < 500; i++) {
      const tek = randomBytes(16);
      const start = 2_600_000 + i * 7;
      expect(fastRpik(tek)).toEqual(deriveRpik(tek));
      expect(fastRpis(fastRpik(tek), start)).toEqual(deriveRpis(deriveRpik(tek), start));
    }
  });
});
