import type { Faker, LocaleDefinition } from '@faker-js/faker';
// The package's main entry loads all of its 70 locales (2.4 MB of JavaScript, 0.4 s of CPU on every
// stack start); the Japanese entry loads ja with its fallbacks en and base, merged, and nothing else.
import { faker as japanese } from '@faker-js/faker/locale/ja';
import type { StubClock } from './clock.js';
import type {
  IssuedNumber,
  Patient,
  ProcessingNumberState,
  RegisterPatientRequest,
  RegisterPatientResponse,
  TestType,
  VerificationOk,
  VerificationResult,
} from './types.js';

/** Validity of a processing number. The real window is unpublished (cocoa.md §2 "Expiry length: UNVERIFIED"). */
export const DEFAULT_VALIDITY_HOURS = 72;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER_RE = /^\d{8}$/; // 8 digits: the app's regex (cocoa.md §2)
const AGE_BANDS = ['10代', '20代', '30代', '40代', '50代', '60代', '70代', '80代以上'];

export class RegistryInputError extends Error {
  readonly code = 'HERSYS_BAD_INPUT';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

interface Entry {
  readonly patient: Patient;
  readonly processingNumber: string;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
  usedAtMs: number | null;
  /** The upload id of the call that used the number up (see verify). */
  usedBy: string | null;
  revokedAtMs: number | null;
}

export type VerifyOutcome = VerificationOk | { readonly result: Exclude<VerificationResult, 'OK'> };

function isValidDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Patients and their processing numbers. Seeded: the same seed yields the same patients and numbers
 * for the same sequence of registrations.
 */
export class HerSysRegistry {
  readonly #faker: Faker;
  readonly #entries = new Map<string, Entry>();
  #nextPatient = 1;

  constructor(
    readonly seed: number,
    readonly clock: StubClock,
    readonly validityHours: number = DEFAULT_VALIDITY_HOURS,
  ) {
    // A Faker of our own (its own seed, whatever other stubs draw), on the same merged ja/en/base data.
    const FakerClass = japanese.constructor as new (options: { locale: LocaleDefinition }) => Faker;
    this.#faker = new FakerClass({ locale: japanese.rawDefinitions });
    this.#faker.seed(seed);
  }

  /** Forgets everything and restarts the random sequence from the seed. */
  reset(): void {
    this.#entries.clear();
    this.#nextPatient = 1;
    this.#faker.seed(this.seed);
  }

  register(req: RegisterPatientRequest): RegisterPatientResponse {
    const today = new Date(this.clock.now()).toISOString().slice(0, 10);
    const testDate = req.testDate ?? today;
    if (typeof testDate !== 'string' || !isValidDate(testDate)) {
      throw new RegistryInputError('testDate', `must be a date YYYY-MM-DD, got ${JSON.stringify(testDate)}`);
    }
    const onset = req.symptomOnsetDate ?? null;
    if (onset !== null && (typeof onset !== 'string' || !isValidDate(onset))) {
      throw new RegistryInputError(
        'symptomOnsetDate',
        `must be a date YYYY-MM-DD or null, got ${JSON.stringify(onset)}`,
      );
    }
    const testType: TestType = req.testType ?? 'PCR';
    if (testType !== 'PCR' && testType !== 'antigen') {
      throw new RegistryInputError('testType', `must be "PCR" or "antigen", got ${JSON.stringify(testType)}`);
    }
    const f = this.#faker;
    const patientId = `P${String(this.#nextPatient++).padStart(6, '0')}`;
    const patient: Patient = {
      patientId,
      name: `${f.person.lastName()} ${f.person.firstName()}`,
      ageBand: f.helpers.arrayElement(AGE_BANDS),
      prefecture: f.location.state(),
      healthCentre: `${f.location.city()}保健所`,
      testDate,
      symptomOnsetDate: onset,
      testType,
    };
    let processingNumber: string;
    do {
      processingNumber = f.string.numeric({ length: 8, allowLeadingZeros: true });
    } while (this.#entries.has(processingNumber));
    const issuedAtMs = this.clock.now();
    const entry: Entry = {
      patient,
      processingNumber,
      issuedAtMs,
      expiresAtMs: issuedAtMs + this.validityHours * 3_600_000,
      usedAtMs: null,
      usedBy: null,
      revokedAtMs: null,
    };
    this.#entries.set(processingNumber, entry);
    return {
      patientId,
      processingNumber,
      issuedAt: new Date(entry.issuedAtMs).toISOString(),
      expiresAt: new Date(entry.expiresAtMs).toISOString(),
      patient,
    };
  }

  /** Revokes by processing number or patient id; returns the revoked entry or undefined if unknown. */
  revoke(key: { processingNumber?: string; patientId?: string }): IssuedNumber | undefined {
    const entry = this.#find(key);
    if (!entry) return undefined;
    entry.revokedAtMs ??= this.clock.now();
    return this.#view(entry);
  }

  /**
   * Checks a processing number; the first OK consumes it (one-time use: cocoa.md §2, UNVERIFIED).
   * Precedence: REVOKED, ALREADY_USED, EXPIRED, OK.
   *
   * `uploadId` (ichiren's protocol, not HER-SYS's): the server's id of one upload (a hash of number
   * and keys). The first OK binds the number to it, and the same id is answered OK again, so a server
   * killed after our OK and before it committed the keys can retry the identical upload; any other
   * upload gets ALREADY_USED. Without an id the number is plain one-time use.
   */
  verify(processingNumber: string, uploadId?: string): VerifyOutcome {
    if (!NUMBER_RE.test(processingNumber)) return { result: 'MALFORMED' };
    const entry = this.#entries.get(processingNumber);
    if (!entry) return { result: 'NOT_FOUND' };
    if (entry.revokedAtMs !== null) return { result: 'REVOKED' };
    const repeat = entry.usedAtMs !== null && uploadId !== undefined && entry.usedBy === uploadId;
    if (entry.usedAtMs !== null && !repeat) return { result: 'ALREADY_USED' };
    const now = this.clock.now();
    if (!repeat && now >= entry.expiresAtMs) return { result: 'EXPIRED' };
    if (!repeat) {
      entry.usedAtMs = now;
      entry.usedBy = uploadId ?? null;
    }
    const p = entry.patient;
    return {
      result: 'OK',
      testDate: p.testDate,
      symptomOnsetDate: p.symptomOnsetDate,
      hasSymptom: p.symptomOnsetDate !== null,
      testType: p.testType,
    };
  }

  list(): IssuedNumber[] {
    return [...this.#entries.values()].map((e) => this.#view(e));
  }

  /** How many numbers were ever issued. */
  get size(): number {
    return this.#entries.size;
  }

  /** The `count` most recently issued numbers, newest first, with their patients. */
  recent(count: number): { numbers: IssuedNumber[]; patients: Patient[] } {
    const entries = [...this.#entries.values()].slice(-count).reverse();
    return { numbers: entries.map((e) => this.#view(e)), patients: entries.map((e) => e.patient) };
  }

  patients(): Patient[] {
    return [...this.#entries.values()].map((e) => e.patient);
  }

  #find(key: { processingNumber?: string; patientId?: string }): Entry | undefined {
    if (key.processingNumber !== undefined) return this.#entries.get(key.processingNumber);
    if (key.patientId !== undefined) {
      for (const e of this.#entries.values()) if (e.patient.patientId === key.patientId) return e;
    }
    return undefined;
  }

  #state(e: Entry): ProcessingNumberState {
    if (e.revokedAtMs !== null) return 'revoked';
    if (e.usedAtMs !== null) return 'used';
    return this.clock.now() >= e.expiresAtMs ? 'expired' : 'issued';
  }

  #view(e: Entry): IssuedNumber {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      patientId: e.patient.patientId,
      processingNumber: e.processingNumber,
      issuedAt: new Date(e.issuedAtMs).toISOString(),
      expiresAt: new Date(e.expiresAtMs).toISOString(),
      state: this.#state(e),
      usedAt: iso(e.usedAtMs),
      revokedAt: iso(e.revokedAtMs),
    };
  }
}
