import { describe, expect, it } from 'vitest';
import { hash01, isCloseContact, Population } from './model.js';
import { DEFAULT_PARAMS, PopulationParamsError, validateParams } from './params.js';

const apps = { android: 'cocoa-1.2.2', ios: 'cocoa-1.2.2' } as const;
const small = { ...DEFAULT_PARAMS, phones: 3000, days: 7, dailyIncidence: 0.01 };

describe('the seeded population', () => {
  it('hash01 is uniform enough and a pure function of its inputs', () => {
    const xs = Array.from({ length: 20_000 }, (_, i) => hash01(7, 1, i));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    expect(hash01(7, 1, 5)).toBe(xs[5]);
    expect(hash01(8, 1, 5)).not.toBe(xs[5]);
  });

  it('the same seed gives the same phones, positives and meetings', () => {
    const a = new Population(small, apps);
    const b = new Population(small, apps);
    expect(a.positives()).toEqual(b.positives());
    expect(a.phone(17)).toEqual(b.phone(17));
    expect(a.meetingsOf(42, 3)).toEqual(b.meetingsOf(42, 3));
  });

  it('a meeting is the same seen from either side', () => {
    const pop = new Population(small, apps);
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      for (const m of pop.meetingsOf(i, 2)) {
        const back = pop.meetingsOf(m.receiver, 2).find((x) => x.receiver === i && x.setting === m.setting);
        expect(back).toBeDefined();
        expect(back?.distanceM).toBe(m.distanceM);
        expect(back?.durationMin).toBe(m.durationMin);
        expect(back?.startMinuteJst).toBe(m.startMinuteJst);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('platform shares follow the parameter', () => {
    const pop = new Population({ ...small, phones: 10_000, iosShare: 0.67 }, apps);
    let ios = 0;
    for (let i = 0; i < 10_000; i++) if (pop.phone(i).platform === 'ios') ios++;
    expect(ios / 10_000).toBeGreaterThan(0.65);
    expect(ios / 10_000).toBeLessThan(0.69);
  });

  it('positives test within the run and upload on or after their test day', () => {
    const pop = new Population(small, apps);
    const positives = pop.positives();
    expect(positives.length).toBeGreaterThan(50);
    for (const p of positives) {
      expect(p.testDay).toBeGreaterThanOrEqual(0);
      expect(p.testDay).toBeLessThan(small.days);
      expect(p.onsetDay).toBeLessThanOrEqual(p.testDay);
      if (p.uploadDay !== null) expect(p.uploadDay).toBeGreaterThanOrEqual(p.testDay);
    }
  });

  it('close contact = within 1 m for 15 minutes or more, from two days before onset to the test', () => {
    const positive = { phone: 1, testDay: 5, onsetDay: 3, uploadDay: 6 };
    const m = {
      sender: 1,
      receiver: 2,
      day: 4,
      setting: 'household' as const,
      environment: 'home' as const,
      distanceM: 1,
      durationMin: 15,
      startMinuteJst: 600,
    };
    expect(isCloseContact(m, positive)).toBe(true);
    expect(isCloseContact({ ...m, distanceM: 1.01 }, positive)).toBe(false);
    expect(isCloseContact({ ...m, durationMin: 14 }, positive)).toBe(false);
    expect(isCloseContact({ ...m, day: 0 }, positive)).toBe(false);
    expect(isCloseContact({ ...m, day: 1 }, positive)).toBe(true);
  });

  it('rejects parameters a run cannot work with, naming them', () => {
    expect(() => validateParams({ ...small, days: 15 })).toThrow(PopulationParamsError);
    expect(() => validateParams({ ...small, iosShare: 1.5 })).toThrow(/iosShare/);
  });
});
