/**
 * Prints what ichiren found on this machine (Chromium, PostgreSQL for the tests), as the run
 * metadata and the tests will use them: `node --import tsx scripts/environment.ts`. Exit 1 when the
 * browser is missing, with the one-line fix.
 */
import { chooseChromium, describeChromium } from '../harness/browser/chromium.js';
import { describeTestPostgres } from '../server/testing/postgres.js';

console.log(`postgres: ${describeTestPostgres()}`);
try {
  console.log(`chromium: ${describeChromium(await chooseChromium())}`);
} catch (error) {
  console.log(`chromium: ${(error as Error).message}`);
  process.exitCode = 1;
}
