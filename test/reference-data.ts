/**
 * Other projects' data that tests check ichiren against, read in place and never copied into this
 * repository (each file keeps its upstream licence). The directory is `$ICHIREN_REFERENCE_DATA`, else
 * `../shared/data` beside the repository. Where a file is absent its tests skip, with one line that
 * names the data and where it comes from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REFERENCE_DATA_ENV = 'ICHIREN_REFERENCE_DATA';

const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));

export function referenceDataDir(): string {
  const fromEnv = process.env[REFERENCE_DATA_ENV];
  if (fromEnv) return isAbsolute(fromEnv) ? fromEnv : resolve(repositoryRoot, fromEnv);
  return resolve(repositoryRoot, '..', 'shared', 'data');
}

const INTERNALS = 'google/exposure-notifications-internals @ aaada6ce5cad0ea1493930591557f8053ef4f113';
const COCOA = 'cocoa-mhlw/cocoa @ 19bb840727f290863c6af88852e3e2981d1b441e';

/** Each data set: its path below the reference directory, what it is and where it comes from. */
export const REFERENCE_DATA = {
  'gaen-test-vectors': {
    path: 'gaen-test-vectors.json',
    what: "Google's Exposure Notification crypto test vectors v1.2",
    from: `${INTERNALS} : app/src/androidTest/java/com/google/samples/exposurenotification/testing/TestVectors.java`,
  },
  'google-sample-export': {
    path: 'google/sample-diagnosis-key-file.zip',
    what: "Google's signed sample export (key id 310, v1)",
    from: `${INTERNALS} : app/src/main/res/raw/sample_diagnosis_key_file.zip`,
  },
  'google-roundtrip-export': {
    path: 'google/roundtrip-export.bin',
    what: "Google's unsigned round-trip export.bin",
    from: `${INTERNALS} : app/src/main/res/raw/export.bin`,
  },
  'cocoa-peer-data': {
    path: 'peers/cocoa',
    what: "COCOA's published exposure configurations, unit-test fixtures and transcribed unit-test cases",
    from: `${COCOA} : documents/static/exposure_configuration/ and Covid19Radar/Tests/Covid19Radar.UnitTests/ (see peers/README.md)`,
  },
} as const;

export type ReferenceName = keyof typeof REFERENCE_DATA;

export interface Reference {
  readonly name: ReferenceName;
  readonly path: string;
  readonly available: boolean;
  /** One line for a skipped test: what is missing, where it was looked for and where it comes from. */
  readonly missing: string;
  read(relative?: string): Buffer;
  json<T>(relative?: string): T;
}

const warned = new Set<ReferenceName>();

export function reference(name: ReferenceName): Reference {
  const d = REFERENCE_DATA[name];
  const path = join(referenceDataDir(), d.path);
  const available = existsSync(path);
  const missing = `skipped: ${d.what} not found at ${path} — from ${d.from}; set ${REFERENCE_DATA_ENV} to a directory holding ${d.path}`;
  if (!available && !warned.has(name)) {
    warned.add(name);
    console.warn(missing);
  }
  const file = (relative?: string) => (relative ? join(path, relative) : path);
  return {
    name,
    path,
    available,
    missing,
    read: (relative) => readFileSync(file(relative)),
    // A UTF-8 byte-order mark, which .NET tools often write, is not part of the JSON.
    json: (relative) => JSON.parse(readFileSync(file(relative), 'utf8').replace(/^\uFEFF/, '')),
  };
}

/** The title of a suite that needs `ref`: unchanged when present, with the skip line when absent. */
export const titled = (ref: Reference, title: string): string =>
  ref.available ? title : `${title} (${ref.missing})`;
