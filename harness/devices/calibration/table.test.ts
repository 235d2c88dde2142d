import { describe, expect, it } from 'vitest';
import { CalibrationTableError, loadCalibrationTable } from './table.js';

const table = loadCalibrationTable();
const header = 'manufacturer,device,model,rssi_correction,tx,calibration_confidence';

describe('the fixture table', () => {
  it("holds gaen.md's Android rows and ichiren's iPhone rows", () => {
    expect(table.rows.find((r) => r.model === 'Pixel 4')).toMatchObject({
      device: 'flame',
      rssiCorrection: 8,
      tx: -30,
    });
    expect(table.rows.find((r) => r.device === 'iPhone12,1')).toMatchObject({
      model: 'iPhone 11',
      rssiCorrection: 0,
    });
    expect(table.rows.filter((r) => r.manufacturer !== 'apple')).toHaveLength(10);
  });
});

describe('loadCalibrationTable errors', () => {
  it('names the line and field of a bad value', () => {
    const csv = `${header}\ngoogle,flame,Pixel 4,8,-30,3\ngoogle,sargo,Pixel 3a,two,-29,3`;
    expect(() => loadCalibrationTable(csv, 'my.csv')).toThrow(
      'my.csv:3 (rssi_correction): must be an integer, got "two"',
    );
  });

  it('rejects a confidence outside 0..3', () => {
    expect(() => loadCalibrationTable(`${header}\ngoogle,flame,Pixel 4,8,-30,4`)).toThrow(
      /calibration_confidence/,
    );
  });

  it('rejects a wrong header and a short row', () => {
    expect(() => loadCalibrationTable('oem,device,model\n')).toThrow(CalibrationTableError);
    expect(() => loadCalibrationTable(`${header}\ngoogle,flame,Pixel 4`)).toThrow(
      /:2: expected 6 fields, got 3/,
    );
  });

  it('reads quoted fields with commas', () => {
    const t = loadCalibrationTable(`${header}\napple,"iPhone12,1",iPhone 11,0,-12,3`);
    expect(t.rows[0].device).toBe('iPhone12,1');
  });
});
