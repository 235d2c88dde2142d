/**
 * Why an upload was refused, as a value (style.md: errors with a stable code, turned into a response
 * at the edge). `error` is COCOA's own message where COCOA had one (cocoa.md §1.3).
 */
export const COCOA_MESSAGES = {
  invalidParameter: 'Invalid parameter',
  regionNotSupported: 'Regions not supported.',
  invalidDevice: 'Invalid Device',
  badVerificationPayload: 'Bad VerificationPayload',
} as const;

export type RejectionCode =
  | 'INVALID_PARAMETER'
  | 'REGION_NOT_SUPPORTED'
  | 'INVALID_KEY_DATA'
  | 'INVALID_ROLLING_PERIOD'
  | 'INVALID_ROLLING_START'
  | 'KEY_IN_FUTURE'
  | 'DUPLICATE_KEY'
  | 'TOO_MANY_KEYS'
  | 'INVALID_TRANSMISSION_RISK'
  | 'INVALID_REPORT_TYPE'
  | 'INVALID_ONSET_DATE'
  | 'INVALID_PROCESSING_NUMBER'
  | 'INVALID_DEVICE'
  | 'USER_NOT_AUTHORIZED'
  | 'VERIFICATION_REJECTED'
  | 'VERIFICATION_UNAVAILABLE';

export class DiagnosisRejection extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: RejectionCode,
    readonly field: string,
    readonly detail?: string,
  ) {
    super(`${code} at ${field}: ${detail ?? error}`);
  }

  toBody(): { error: string; code: RejectionCode; field: string; detail?: string } {
    return this.detail === undefined
      ? { error: this.error, code: this.code, field: this.field }
      : { error: this.error, code: this.code, field: this.field, detail: this.detail };
  }
}

export function invalid(code: RejectionCode, field: string, detail: string): DiagnosisRejection {
  return new DiagnosisRejection(400, COCOA_MESSAGES.invalidParameter, code, field, detail);
}
