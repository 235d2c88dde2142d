/**
 * Stated limits of the scenario language, checked before anything runs (docs/scenarios.md).
 */
import { readFile, stat } from 'node:fs/promises';
import { ScenarioError, ScenarioErrors } from './errors.js';

/**
 * One encounter lasts at most a day: a temporary exposure key rolls every 24 h (gaen.md), so a longer
 * contact is several encounters, one per day. Longer values once ran out of stack at run time.
 */
export const MAX_ENCOUNTER_MINUTES = 24 * 60;

/**
 * The largest scenario file read: 256 KiB is ~40 times the largest standard file (7 KB); YAML parsing
 * takes hundreds of times a file's size in memory (a 5 MB file needed 2 GB).
 */
export const MAX_SCENARIO_FILE_BYTES = 256 * 1024;

/** Reads a scenario file, refusing one over the limit before parsing a byte of it. */
export async function readScenarioFile(file: string): Promise<string> {
  const { size } = await stat(file);
  if (size > MAX_SCENARIO_FILE_BYTES)
    throw new ScenarioErrors([
      new ScenarioError(
        file,
        1,
        1,
        `file is ${(size / 1024).toFixed(0)} KiB; a scenario file may be at most ${MAX_SCENARIO_FILE_BYTES / 1024} KiB (split it into several files)`,
      ),
    ]);
  return readFile(file, 'utf8');
}
