import { describe, expect, it } from 'vitest';
import { lookupCalibration } from './lookup.js';
import { loadCalibrationTable } from './table.js';

const table = loadCalibrationTable();
const header = 'manufacturer,device,model,rssi_correction,tx,calibration_confidence';

describe('lookupCalibration', () => {
  it('returns the row for an exact model with confidence 3', () => {
    expect(lookupCalibration(table, { manufacturer: 'Google', device: 'flame', model: 'pixel 4' })).toEqual({
      txPower: -30,
      rssiCorrection: 8,
      confidence: 3,
      matchedBy: 'model',
    });
  });

  it('treats iPhones as the reference: correction 0', () => {
    const c = lookupCalibration(table, { manufacturer: 'apple', model: 'iPhone 12' });
    expect(c).toMatchObject({ rssiCorrection: 0, txPower: -12, matchedBy: 'model' });
  });

  it('falls back to rows sharing the device codename with confidence 2', () => {
    const c = lookupCalibration(table, { manufacturer: 'samsung', device: 'beyond1', model: 'SM-G973U' });
    expect(c).toEqual({ txPower: -29, rssiCorrection: 2, confidence: 2, matchedBy: 'device' });
  });

  it('falls back to the manufacturer average with confidence 1', () => {
    const c = lookupCalibration(table, { manufacturer: 'samsung', device: 'unknown', model: 'SM-X000' });
    // Samsung rows: corrections 2, 0, 9, 23 → 8.5 → 9; tx −29, −20, −33, −47 → −32.25 → −32.
    expect(c).toEqual({ txPower: -32, rssiCorrection: 9, confidence: 1, matchedBy: 'manufacturer' });
  });

  it('falls back to the Android fleet average with confidence 0, leaving the assumed iPhone rows out', () => {
    const c = lookupCalibration(table, { manufacturer: 'nokia', model: 'Nokia 7.2' });
    const android = table.rows.filter((r) => r.manufacturer !== 'apple');
    const mean = (f: (r: (typeof android)[number]) => number) =>
      Math.round(android.reduce((s, r) => s + f(r), 0) / android.length);
    expect(c).toEqual({
      txPower: mean((r) => r.tx),
      rssiCorrection: mean((r) => r.rssiCorrection),
      confidence: 0,
      matchedBy: 'fleet',
    });
    expect(c.rssiCorrection).not.toBe(0);
  });

  it('lowers confidence at each step for the same phone as the table loses detail', () => {
    const who = { manufacturer: 'google', device: 'sargo', model: 'Pixel 3a' };
    const steps = [
      table,
      loadCalibrationTable(`${header}\ngoogle,sargo,Pixel 3a XL,1,-28,3\ngoogle,flame,Pixel 4,8,-30,3`),
      loadCalibrationTable(`${header}\ngoogle,flame,Pixel 4,8,-30,3`),
      loadCalibrationTable(`${header}\nsamsung,a50,SM-A505F,0,-20,3`),
    ].map((t) => lookupCalibration(t, who).confidence);
    expect(steps).toEqual([3, 2, 1, 0]);
  });
});
