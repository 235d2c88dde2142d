import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('2d')).toBe(172_800_000);
  });
  it('refuses zero, fractions and missing units', () => {
    for (const bad of ['0m', '1.5h', '15', 'm', '-5m']) expect(parseDuration(bad)).toBeNull();
  });
});
