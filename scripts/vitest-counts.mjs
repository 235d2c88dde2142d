#!/usr/bin/env node
// Prints the plain closing line CI reads ("N passed, N failed") from vitest's JSON reporter output.
//   node scripts/vitest-counts.mjs [--list-skipped] [reports/vitest.json]
// --list-skipped first names every skipped test by file, so a skip (no engine, no PostgreSQL) is seen.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const listSkipped = args.includes('--list-skipped');
const file = args.find((a) => !a.startsWith('--')) ?? 'reports/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`cannot read ${file}: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const results = report.testResults ?? [];
const isSkipped = (a) => a.status === 'skipped' || a.status === 'pending' || a.status === 'todo';
if (listSkipped) {
  for (const r of results) {
    const skipped = r.assertionResults.filter(isSkipped);
    if (skipped.length === 0) continue;
    console.log(`skipped in ${path.relative(process.cwd(), r.name)}:`);
    for (const a of skipped) console.log(`  - ${a.fullName ?? a.title}`);
  }
}
const passed = report.numPassedTests ?? 0;
// A file that failed to load has no tests but is a failure all the same.
const failedSuites = results.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
const failed = (report.numFailedTests ?? 0) + failedSuites;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
