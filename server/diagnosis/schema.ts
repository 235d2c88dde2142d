/**
 * JSON schemas of the three diagnosis bodies (cocoa.md §1.2). They check shape and types only;
 * key semantics (16 bytes, window, duplicates) are checked in validate.ts with their own codes.
 * Unknown members (padding, …) are allowed and ignored, as COCOA's JSON binding ignored them.
 */
const nonEmpty = { type: 'string', minLength: 1 } as const;
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 } as const;

function keySchema(extra: Record<string, unknown>, required: readonly string[]) {
  return {
    type: 'object',
    required: ['keyData', 'rollingStartNumber', 'rollingPeriod', ...required],
    properties: { keyData: { type: 'string' }, rollingStartNumber: int32, rollingPeriod: int32, ...extra },
  };
}

function body(
  keyExtra: Record<string, unknown>,
  keyRequired: readonly string[],
  extra: Record<string, unknown>,
  required: readonly string[],
) {
  return {
    type: 'object',
    required: [
      'keys',
      'regions',
      'platform',
      'deviceVerificationPayload',
      'appPackageName',
      'verificationPayload',
      ...required,
    ],
    properties: {
      keys: { type: 'array', items: keySchema(keyExtra, keyRequired) },
      regions: { type: 'array', minItems: 1, items: nonEmpty },
      platform: nonEmpty,
      deviceVerificationPayload: nonEmpty,
      appPackageName: nonEmpty,
      verificationPayload: nonEmpty,
      padding: { type: 'string' },
      ...extra,
    },
  } as const;
}

/** v1: with `userUuid` and keys[].transmissionRisk (app ≤ 1.2.1). */
export const V1_BODY_SCHEMA = body({ transmissionRisk: int32 }, [], { userUuid: nonEmpty }, ['userUuid']);
/** v2: no `userUuid`, no `transmissionRisk` (app 1.2.2–1.4.x). */
export const V2_BODY_SCHEMA = body({}, [], {}, []);
/** v3: onset/test date, symptom flag, report type, idempotency key (app 2.x/3.x). */
export const V3_BODY_SCHEMA = body(
  { reportType: int32 },
  [],
  { hasSymptom: { type: 'boolean' }, onsetOfSymptomOrTestDate: nonEmpty, idempotency_key: nonEmpty },
  ['hasSymptom', 'onsetOfSymptomOrTestDate', 'idempotency_key'],
);

export interface WireKey {
  keyData: string;
  rollingStartNumber: number;
  rollingPeriod: number;
  transmissionRisk?: number;
  reportType?: number;
}

export interface DiagnosisBody {
  userUuid?: string;
  keys: WireKey[];
  regions: string[];
  platform: string;
  deviceVerificationPayload: string;
  appPackageName: string;
  verificationPayload: string;
  padding?: string;
  hasSymptom?: boolean;
  onsetOfSymptomOrTestDate?: string;
  idempotency_key?: string;
}
