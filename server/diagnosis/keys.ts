import { createHash, randomUUID } from 'node:crypto';
import type { ServerBehaviour } from '../config.js';
import {
  COCOA_MESSAGES,
  type DiagnosisRejection,
  invalid,
  DiagnosisRejection as Rejection,
} from './rejection.js';
import type { DiagnosisBody } from './schema.js';

/** Interval arithmetic (gaen.md §1): 10-minute ENIntervalNumbers, 144 per UTC day. */
const INTERVAL_SECONDS = 600;
const INTERVALS_PER_DAY = 144;
const DAY_MS = 86_400_000;

export type DiagnosisApiVersion = 'v1' | 'v2' | 'v3';

/** A key as the server stores it. */
export interface StoredKey {
  readonly id: string;
  readonly keyData: Buffer;
  readonly rollingStartIntervalNumber: number;
  readonly rollingPeriod: number;
  readonly transmissionRiskLevel: number;
  readonly reportType: number | null;
  readonly daysSinceOnsetOfSymptoms: number | null;
  readonly region: string;
}

export interface KeyRules {
  readonly behaviour: ServerBehaviour;
  /** The region uploads must name (COCOA: "440"). */
  readonly region: string;
  /** Where accepted keys are stored: the region, or a cell's region of its own (server/cells.ts). */
  readonly storedRegion?: string;
  readonly nowMs: number;
  readonly maxKeysPerUpload: number;
  readonly retentionDays: number;
  readonly infectiousWindow: {
    readonly symptom: readonly [number, number];
    readonly test: readonly [number, number];
  };
}

export interface AcceptedUpload {
  readonly keys: StoredKey[];
  /** Keys dropped by COCOA's filters (too old, outside the infectious window): not an error. */
  readonly dropped: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parameter and key checks after the schema (cocoa.md §1.2/§1.3, gaen.md §2 publish defaults). */
export function checkKeys(
  version: DiagnosisApiVersion,
  body: DiagnosisBody,
  rules: KeyRules,
): AcceptedUpload {
  // Region after required fields, as DiagnosisApi.cs does.
  for (const [i, r] of body.regions.entries()) {
    if (r !== rules.region) {
      throw new Rejection(
        400,
        COCOA_MESSAGES.regionNotSupported,
        'REGION_NOT_SUPPORTED',
        `regions[${i}]`,
        `region "${r}"`,
      );
    }
  }
  if (!/^[0-9]{8}$/.test(body.verificationPayload)) {
    throw invalid('INVALID_PROCESSING_NUMBER', 'verificationPayload', 'processing number must be 8 digits');
  }
  if (body.keys.length > rules.maxKeysPerUpload) {
    throw invalid('TOO_MANY_KEYS', 'keys', `${body.keys.length} keys, at most ${rules.maxKeysPerUpload}`);
  }
  let onsetDay = 0;
  if (version === 'v3') {
    const t = parseOnset(body.onsetOfSymptomOrTestDate!);
    if (t === undefined) {
      throw invalid(
        'INVALID_ONSET_DATE',
        'onsetOfSymptomOrTestDate',
        'expected a calendar date and time as yyyy-MM-ddTHH:mm:ss.fffzzz',
      );
    }
    onsetDay = Math.floor(t / DAY_MS);
  }
  const nowInterval = Math.floor(rules.nowMs / 1000 / INTERVAL_SECONDS);
  const today = Math.floor(nowInterval / INTERVALS_PER_DAY) * INTERVALS_PER_DAY;
  const oldest = today - rules.retentionDays * INTERVALS_PER_DAY;
  const seen = new Set<string>();
  const keys: StoredKey[] = [];
  let dropped = 0;
  for (const [i, k] of body.keys.entries()) {
    const at = `keys[${i}]`;
    const bytes = decodeKey(k.keyData);
    if (!bytes) throw invalid('INVALID_KEY_DATA', `${at}.keyData`, 'keyData must be base64 of 16 bytes');
    if (seen.has(bytes.toString('hex'))) throw invalid('DUPLICATE_KEY', `${at}.keyData`, 'key sent twice');
    seen.add(bytes.toString('hex'));
    if (k.rollingPeriod < 1 || k.rollingPeriod > INTERVALS_PER_DAY) {
      throw invalid('INVALID_ROLLING_PERIOD', `${at}.rollingPeriod`, 'rollingPeriod must be 1..144');
    }
    if (k.rollingStartNumber < 0) {
      throw invalid('INVALID_ROLLING_START', `${at}.rollingStartNumber`, 'negative rollingStartNumber');
    }
    // No future keys; a key may start any time today (clock skew between phone and server).
    if (k.rollingStartNumber >= today + INTERVALS_PER_DAY) {
      throw invalid('KEY_IN_FUTURE', `${at}.rollingStartNumber`, 'key starts after today');
    }
    if (
      version === 'v1' &&
      k.transmissionRisk !== undefined &&
      (k.transmissionRisk < 0 || k.transmissionRisk > 8)
    ) {
      throw invalid('INVALID_TRANSMISSION_RISK', `${at}.transmissionRisk`, 'transmissionRisk must be 0..8');
    }
    if (version === 'v3' && k.reportType !== undefined && (k.reportType < 0 || k.reportType > 5)) {
      throw invalid('INVALID_REPORT_TYPE', `${at}.reportType`, 'reportType must be 0..5');
    }
    // Older than the retention window: dropped, not refused (the apps send up to 15 days, cocoa.md §1.2).
    if (k.rollingStartNumber < oldest) {
      dropped++;
      continue;
    }
    if (version !== 'v3') {
      keys.push({
        id: randomUUID(), // v1/v2 had no idempotency (cocoa.md §1.2)
        keyData: bytes,
        rollingStartIntervalNumber: k.rollingStartNumber,
        rollingPeriod: k.rollingPeriod,
        transmissionRiskLevel: legacyTransmissionRisk(rules.behaviour, k.transmissionRisk),
        reportType: null,
        daysSinceOnsetOfSymptoms: null,
        region: rules.storedRegion ?? rules.region,
      });
      continue;
    }
    // v3 server processing (cocoa.md §1.2): DSOS in UTC days, TRL by DSOS, infectious-window filter.
    const dsos = Math.floor(k.rollingStartNumber / INTERVALS_PER_DAY) - onsetDay;
    const [lo, hi] = body.hasSymptom ? rules.infectiousWindow.symptom : rules.infectiousWindow.test;
    if (Math.abs(dsos) > 14 || dsos < lo || dsos > hi) {
      dropped++;
      continue;
    }
    keys.push({
      id: v3KeyId(body.idempotency_key!, k.keyData, k.rollingStartNumber, k.rollingPeriod),
      keyData: bytes,
      rollingStartIntervalNumber: k.rollingStartNumber,
      rollingPeriod: k.rollingPeriod,
      transmissionRiskLevel: dsos >= -3 ? 4 : 1,
      reportType: k.reportType ?? 1,
      daysSinceOnsetOfSymptoms: dsos,
      region: rules.storedRegion ?? rules.region,
    });
  }
  return { keys, dropped };
}

/**
 * v1/v2 TRL by server behaviour: "2020-09" copies the upload's transmissionRisk (0 in practice, the
 * root of the 1.1.4 defect, cocoa.md §5); from cf58f223 ("2021-02-17") it is hard-coded to 4.
 */
export function legacyTransmissionRisk(behaviour: ServerBehaviour, sent: number | undefined): number {
  return behaviour === '2020-09' ? (sent ?? 0) : 4;
}

/** cocoa.md §1.2: document id = sha256hex("{idempotency_key},{keyData},{rsn},{rp}"). */
export function v3KeyId(idempotencyKey: string, keyData: string, rsn: number, rp: number): string {
  return createHash('sha256').update(`${idempotencyKey},${keyData},${rsn},${rp}`).digest('hex');
}

function decodeKey(b64: string): Buffer | undefined {
  if (b64.length !== 24 || !BASE64.test(b64)) return undefined;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length === 16 ? bytes : undefined;
}

/**
 * `yyyy-MM-dd'T'HH:mm:ss.fffzzz` (also accepts Z and missing fraction); undefined when unparsable or
 * not a real calendar time: Date.parse rolls "2025-02-30" over to 03-01, so each field is checked.
 */
export function parseOnset(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,7})?(Z|[+-](\d{2}):(\d{2}))$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s, oh, om] = [m[1], m[2], m[3], m[4], m[5], m[6], m[9], m[10]].map(
    Number,
  ) as number[];
  const day = new Date(Date.UTC(y!, mo! - 1, d!));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo! - 1 || day.getUTCDate() !== d) return undefined;
  if (h! > 23 || mi! > 59 || s! > 59) return undefined;
  if (m[8] !== 'Z' && (oh! > 14 || om! > 59)) return undefined;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

export type { DiagnosisRejection };
