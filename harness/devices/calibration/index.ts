export { type Calibration, type CalibrationMatch, type DeviceIdentity, lookupCalibration } from './lookup.js';
export {
  CALIBRATION_COLUMNS,
  type CalibrationRow,
  type CalibrationTable,
  CalibrationTableError,
  DEFAULT_CALIBRATION_CSV,
  loadCalibrationTable,
  parseCalibrationCsv,
} from './table.js';
