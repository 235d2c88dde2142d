import type { CalibrationConfidence } from '../../protocol/metadata.js';
import type { CalibrationRow, CalibrationTable } from './table.js';

export interface DeviceIdentity {
  readonly manufacturer?: string;
  readonly device?: string;
  readonly model: string;
}

export type CalibrationMatch = 'model' | 'device' | 'manufacturer' | 'fleet';

export interface Calibration {
  /** dBm to advertise in AEM byte 1. */
  readonly txPower: number;
  /** dB added to measured RSSI on receipt. */
  readonly rssiCorrection: number;
  readonly confidence: CalibrationConfidence;
  readonly matchedBy: CalibrationMatch;
}

/** The iPhone rows are ichiren's assumption, not Google data: kept out of the fleet average (README). */
const NOT_IN_FLEET = new Set(['apple']);

const norm = (s: string | undefined): string => (s ?? '').trim().toLowerCase();

function average(
  rows: readonly CalibrationRow[],
  confidence: CalibrationConfidence,
  matchedBy: CalibrationMatch,
): Calibration {
  const mean = (f: (r: CalibrationRow) => number) =>
    Math.round(rows.reduce((s, r) => s + f(r), 0) / rows.length);
  return { txPower: mean((r) => r.tx), rssiCorrection: mean((r) => r.rssiCorrection), confidence, matchedBy };
}

/**
 * Calibration for a phone, falling back as microG does for models Google's table lacks (gaen.md §3;
 * Google's own fallback UNVERIFIED): exact model (the row's confidence, 3 in the table) → average of
 * rows sharing the device codename or model name (2, MEDIUM) → manufacturer average (1, LOW) →
 * fleet average (0, LOWEST). Matching ignores case and surrounding spaces.
 */
export function lookupCalibration(table: CalibrationTable, who: DeviceIdentity): Calibration {
  const manufacturer = norm(who.manufacturer);
  const device = norm(who.device);
  const model = norm(who.model);
  const sameMaker = (r: CalibrationRow) => manufacturer === '' || norm(r.manufacturer) === manufacturer;

  const exact = table.rows.filter(
    (r) => norm(r.model) === model && (device === '' || norm(r.device) === device) && sameMaker(r),
  );
  if (exact.length > 0) {
    const confidence = Math.min(...exact.map((r) => r.calibrationConfidence)) as CalibrationConfidence;
    return average(exact, confidence, 'model');
  }
  const similar = table.rows.filter(
    (r) => sameMaker(r) && ((device !== '' && norm(r.device) === device) || norm(r.model) === model),
  );
  if (similar.length > 0) return average(similar, 2, 'device');
  if (manufacturer !== '') {
    const maker = table.rows.filter((r) => norm(r.manufacturer) === manufacturer);
    if (maker.length > 0) return average(maker, 1, 'manufacturer');
  }
  const fleet = table.rows.filter((r) => !NOT_IN_FLEET.has(norm(r.manufacturer)));
  return average(fleet.length > 0 ? fleet : table.rows, 0, 'fleet');
}
