import { describe, expect, it } from 'vitest';
import { StubClock } from './clock.js';
import { HerSysRegistry, RegistryInputError } from './registry.js';

const issueMany = (seed: number, n: number) => {
  const r = new HerSysRegistry(seed, new StubClock());
  return Array.from({ length: n }, () => r.register({ testDate: '2020-10-01' }));
};

describe('HerSysRegistry', () => {
  it('gives the same patients and numbers for the same seed', () => {
    const a = issueMany(42, 5);
    const b = issueMany(42, 5);
    expect(b.map((x) => [x.processingNumber, x.patient])).toEqual(
      a.map((x) => [x.processingNumber, x.patient]),
    );
  });

  it('gives different numbers and patients for different seeds', () => {
    const a = issueMany(1, 5);
    const b = issueMany(2, 5);
    expect(b.map((x) => x.processingNumber)).not.toEqual(a.map((x) => x.processingNumber));
    expect(b.map((x) => x.patient.name)).not.toEqual(a.map((x) => x.patient.name));
  });

  it('issues unique 8-digit numbers', () => {
    const numbers = issueMany(7, 500).map((x) => x.processingNumber);
    for (const n of numbers) expect(n).toMatch(/^\d{8}$/);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('generates synthetic Japanese patients with age band, prefecture and health centre', () => {
    const [{ patient }] = issueMany(3, 1);
    expect(patient.name).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(patient.ageBand).toMatch(/代/);
    expect(patient.prefecture).toMatch(/[都道府県]$/);
    expect(patient.healthCentre).toMatch(/保健所$/);
  });

  it('expires a number at issue + validity on the stub clock', () => {
    const clock = new StubClock();
    const r = new HerSysRegistry(1, clock, 24);
    const { processingNumber, issuedAt, expiresAt } = r.register({ testDate: '2020-10-01' });
    expect(Date.parse(expiresAt) - Date.parse(issuedAt)).toBe(24 * 3_600_000);
    clock.advance(24 * 3_600_000);
    expect(r.verify(processingNumber)).toEqual({ result: 'EXPIRED' });
    expect(r.list()[0].state).toBe('expired');
  });

  it('reports REVOKED before ALREADY_USED, and ALREADY_USED before EXPIRED', () => {
    const clock = new StubClock();
    const r = new HerSysRegistry(1, clock);
    const a = r.register({}).processingNumber;
    expect(r.verify(a).result).toBe('OK');
    clock.advance(100 * 3_600_000);
    expect(r.verify(a).result).toBe('ALREADY_USED');
    r.revoke({ processingNumber: a });
    expect(r.verify(a).result).toBe('REVOKED');
  });

  it('revokes by patient id', () => {
    const r = new HerSysRegistry(1, new StubClock());
    const { patientId, processingNumber } = r.register({});
    expect(r.revoke({ patientId })?.processingNumber).toBe(processingNumber);
    expect(r.revoke({ patientId: 'P999999' })).toBeUndefined();
  });

  it('names the field of a bad registration', () => {
    const r = new HerSysRegistry(1, new StubClock());
    expect(() => r.register({ testDate: '2020-02-30' })).toThrow(RegistryInputError);
    expect(() => r.register({ testDate: '2020-02-30' })).toThrow(/^testDate:/);
    expect(() => r.register({ symptomOnsetDate: 'yesterday' })).toThrow(/^symptomOnsetDate:/);
    expect(() => r.register({ testType: 'LAMP' as 'PCR' })).toThrow(/^testType:/);
  });
});
