import { createHash } from 'node:crypto';
import type { DiagnosisApiVersion } from './keys.js';
import { COCOA_MESSAGES, DiagnosisRejection } from './rejection.js';
import type { DiagnosisBody } from './schema.js';

/**
 * ClearText of the SafetyNet nonce (cocoa.md §1.4): keys sorted by keyData and joined with ",",
 * regions upper-cased, sorted and joined with ",".
 */
export function deviceClearText(version: DiagnosisApiVersion, body: DiagnosisBody): string {
  const keys = [...body.keys]
    .sort((a, b) => (a.keyData < b.keyData ? -1 : a.keyData > b.keyData ? 1 : 0))
    .map((k) => {
      const base = `${k.keyData}.${k.rollingStartNumber}.${k.rollingPeriod}`;
      if (version === 'v1') return `${base}.${k.transmissionRisk ?? 0}`;
      if (version === 'v3') return `${base}.${k.reportType ?? 0}`;
      return base;
    })
    .join(',');
  const regions = body.regions
    .map((r) => r.toUpperCase())
    .sort()
    .join(',');
  if (version === 'v3') {
    const symptom = body.hasSymptom ? 'HasSymptom' : 'NoSymptom';
    return [
      body.appPackageName,
      body.onsetOfSymptomOrTestDate,
      symptom,
      keys,
      regions,
      body.verificationPayload,
    ].join('|');
  }
  return [body.appPackageName, keys, regions, body.verificationPayload].join('|');
}

/**
 * Simplified attestation (ours): the payload must be base64(SHA-256(ClearText)), the nonce SafetyNet
 * would carry, without the JWS envelope or Apple's DeviceCheck round trip.
 */
export function checkDevice(version: DiagnosisApiVersion, body: DiagnosisBody): void {
  const expected = createHash('sha256').update(deviceClearText(version, body)).digest('base64');
  if (body.deviceVerificationPayload !== expected) {
    throw new DiagnosisRejection(
      400,
      COCOA_MESSAGES.invalidDevice,
      'INVALID_DEVICE',
      'deviceVerificationPayload',
    );
  }
}
