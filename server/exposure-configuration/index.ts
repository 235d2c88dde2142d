import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConfigSet } from '../config.js';

/** Files a set may hold (cocoa.md §1.6); the map key is the path below `/{container}/`. */
const FILES = {
  'Configration.json': 'Configration.json',
  'exposure_configuration/configuration.json': 'configuration.json',
  'exposure_configuration/risk_calculation_configuration.json': 'risk_calculation_configuration.json',
} as const;
export type ExposureConfigurationPath = keyof typeof FILES;
export const EXPOSURE_CONFIGURATION_PATHS = Object.keys(FILES) as ExposureConfigurationPath[];

const ROOT = fileURLToPath(new URL('../../fixtures/exposure-configuration/', import.meta.url));

/** Loads a set once at start: path → JSON text (validated as JSON), absent files omitted. */
export function loadExposureConfigurationSet(set: ConfigSet): Map<ExposureConfigurationPath, string> {
  const out = new Map<ExposureConfigurationPath, string>();
  for (const [path, file] of Object.entries(FILES) as [ExposureConfigurationPath, string][]) {
    let text: string;
    try {
      text = readFileSync(`${ROOT}${set}/${file}`, 'utf8');
    } catch {
      continue;
    }
    try {
      JSON.parse(text);
    } catch (error) {
      throw new Error(
        `fixtures/exposure-configuration/${set}/${file}: not JSON (${(error as Error).message})`,
      );
    }
    out.set(path, text);
  }
  return out;
}
