/** Synthetic evidence for the runner's tests (no phones, no server). */
import type { ContactEvidence, DetectionEvidence, UploadEvidence } from '../devices/types.js';

export function contactEvidence(a: string, b: string, sightings = 12): ContactEvidence {
  const att = sightings > 0 ? { min: 50, mean: 55, max: 60 } : null;
  return {
    a,
    b,
    sightingsAtA: sightings,
    sightingsAtB: sightings,
    distinctRpisAtA: 3,
    distinctRpisAtB: 3,
    attenuationAtA: att,
    attenuationAtB: att,
  };
}

export function uploadEvidence(ok: boolean, httpStatus: number | null = ok ? 204 : 406): UploadEvidence {
  return {
    ok,
    endpoint: 'v2/diagnosis',
    httpStatus,
    keysSubmitted: ok ? 4 : 0,
    transmissionRiskLevels: [],
    appMessage: ok ? '' : 'processing number incorrect or expired',
  };
}

export function detectionEvidence(
  o: { ran?: boolean; matched?: number; score?: number; threshold?: number; notified?: boolean } = {},
): DetectionEvidence {
  const matched = o.matched ?? 1;
  const score = o.score ?? 28;
  const threshold = o.threshold ?? 21;
  const passed = matched > 0 && score >= threshold;
  const notified = o.notified ?? passed;
  return {
    ran: o.ran ?? true,
    ...(o.ran === false ? { notRunReason: 'background check disabled' } : {}),
    download: { ok: true, listEntries: 2, filesFetched: 2, keysDownloaded: 8, signatureVerified: true },
    match: { matchedKeyCount: matched, matchedTransmissionRiskLevels: matched > 0 ? [4] : [] },
    score: { mode: 'v1', value: score, threshold, passed, explanation: 'synthetic', raw: {} },
    notify: {
      notified,
      exposureCount: notified ? 1 : 0,
      reason: notified ? 'stored 1 exposure' : 'below threshold',
    },
  };
}
