import { readFileSync } from 'node:fs';
import type { CalibrationConfidence } from '../../protocol/metadata.js';

/** One row of the EN calibration CSV (gaen.md §3 "Calibration"). */
export interface CalibrationRow {
  readonly manufacturer: string;
  readonly device: string;
  readonly model: string;
  /** dB the receiver adds to its measured RSSI. */
  readonly rssiCorrection: number;
  /** dBm the sender advertises in AEM byte 1. */
  readonly tx: number;
  readonly calibrationConfidence: CalibrationConfidence;
  /** 1-based line in the source, for messages. */
  readonly line: number;
}

export interface CalibrationTable {
  readonly source: string;
  readonly rows: readonly CalibrationRow[];
}

export class CalibrationTableError extends Error {
  override readonly name = 'CalibrationTableError';
  readonly code = 'CALIBRATION_TABLE_INVALID';
  constructor(
    readonly source: string,
    readonly line: number,
    readonly field: string | undefined,
    detail: string,
  ) {
    super(`${source}:${line}${field ? ` (${field})` : ''}: ${detail}`);
  }
}

export const CALIBRATION_COLUMNS = [
  'manufacturer',
  'device',
  'model',
  'rssi_correction',
  'tx',
  'calibration_confidence',
] as const;

export const DEFAULT_CALIBRATION_CSV = new URL(
  '../../../fixtures/calibration/en-calibration.csv',
  import.meta.url,
);

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines: iPhone ids like "iPhone12,1" need quotes). */
function splitCsvLine(text: string, onError: (detail: string) => never): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) onError('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += text[i++];
      }
      if (i < text.length && text[i] !== ',') onError('text after a closing quote');
    } else {
      const end = text.indexOf(',', i);
      cell = end === -1 ? text.slice(i) : text.slice(i, end);
      i = end === -1 ? text.length : end;
    }
    cells.push(cell.trim());
    if (i >= text.length) return cells;
    i++; // the comma
  }
}

function intField(raw: string, min: number, max: number, fail: (detail: string) => never): number {
  if (!/^[+-]?\d+$/.test(raw)) fail(`must be an integer, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) fail(`must be in ${min}..${max}, got ${value}`);
  return value;
}

/** Parses the CSV text. Throws CalibrationTableError naming source, line and field. */
export function parseCalibrationCsv(csvText: string, source = 'en-calibration.csv'): CalibrationTable {
  const lines = csvText.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '', (d) => {
    throw new CalibrationTableError(source, 1, undefined, d);
  }).map((h) => h.toLowerCase());
  if (header.join(',') !== CALIBRATION_COLUMNS.join(',')) {
    throw new CalibrationTableError(
      source,
      1,
      undefined,
      `header must be "${CALIBRATION_COLUMNS.join(',')}", got "${header.join(',')}"`,
    );
  }
  const rows: CalibrationRow[] = [];
  lines.slice(1).forEach((text, index) => {
    const line = index + 2;
    if (text.trim() === '') return;
    const cells = splitCsvLine(text, (d) => {
      throw new CalibrationTableError(source, line, undefined, d);
    });
    if (cells.length !== CALIBRATION_COLUMNS.length) {
      throw new CalibrationTableError(
        source,
        line,
        undefined,
        `expected ${CALIBRATION_COLUMNS.length} fields, got ${cells.length}`,
      );
    }
    const failOn =
      (field: string) =>
      (detail: string): never => {
        throw new CalibrationTableError(source, line, field, detail);
      };
    const [manufacturer, device, model] = cells;
    if (model === '') failOn('model')('must not be empty');
    if (manufacturer === '') failOn('manufacturer')('must not be empty');
    rows.push({
      manufacturer,
      device,
      model,
      // AEM byte 1 and the calibrated RSSI are int8 (gaen.md §1, §3).
      rssiCorrection: intField(cells[3], -128, 127, failOn('rssi_correction')),
      tx: intField(cells[4], -128, 127, failOn('tx')),
      calibrationConfidence: intField(
        cells[5],
        0,
        3,
        failOn('calibration_confidence'),
      ) as CalibrationConfidence,
      line,
    });
  });
  if (rows.length === 0) throw new CalibrationTableError(source, 1, undefined, 'table has no rows');
  return { source, rows };
}

/** The table from `csvText`, or ichiren's fixture `fixtures/calibration/en-calibration.csv`. */
export function loadCalibrationTable(csvText?: string, source?: string): CalibrationTable {
  if (csvText !== undefined) return parseCalibrationCsv(csvText, source);
  return parseCalibrationCsv(
    readFileSync(DEFAULT_CALIBRATION_CSV, 'utf8'),
    'fixtures/calibration/en-calibration.csv',
  );
}
