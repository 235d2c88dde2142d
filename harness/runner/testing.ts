/** Synthetic evidence for the runner's tests (no phones, no server). */
import { COCOA_SUBMISSION_OUTCOMES, classifySubmission } from '../devices/apps/submission-outcome.js';
import type { ContactEvidence, DetectionEvidence, UploadEvidence } from '../devices/types.js';
import type { KeyRef } from '../protocol/key-ref.js';
import type { ExportListing } from './export-observer.js';
import type { PhoneChain } from './results.js';

/** The one key of the synthetic sender that the receiver heard (rolling start 2026-11-27). */
export const CONTACT_KEY: KeyRef = { rollingStartIntervalNumber: 2_992_896, hash: 'c0ffee01' };
const CDN = 'http://127.0.0.1:1/c19r/440';

/** What the server lists: file 2.zip holds the contact's key unless `withKey` is false. */
export function listing(withKey = true): ExportListing {
  return {
    listUrl: `${CDN}/list.json`,
    readAtEpochSeconds: 0,
    files: [
      { url: `${CDN}/1.zip`, file: '1.zip', batchNum: 1, created: 1, signed: true, keys: [] },
      {
        url: `${CDN}/2.zip`,
        file: '2.zip',
        batchNum: 2,
        created: 2,
        signed: true,
        keys: withKey ? [CONTACT_KEY] : [],
      },
    ],
  };
}

export function contactEvidence(a: string, b: string, sightings = 12): ContactEvidence {
  const att = sightings > 0 ? { min: 50, mean: 55, max: 60 } : null;
  return {
    a,
    b,
    sightingsAtA: sightings,
    sightingsAtB: sightings,
    distinctRpisAtA: 3,
    distinctRpisAtB: 3,
    keysHeardAtA: sightings > 0 ? [CONTACT_KEY] : [],
    keysHeardAtB: sightings > 0 ? [CONTACT_KEY] : [],
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
    keys: ok
      ? [
          CONTACT_KEY,
          { rollingStartIntervalNumber: CONTACT_KEY.rollingStartIntervalNumber - 144, hash: '00c0ffee' },
        ]
      : [],
    transmissionRiskLevels: [],
    appMessage: ok ? '' : 'processing number incorrect or expired',
    outcome: classifySubmission(COCOA_SUBMISSION_OUTCOMES, httpStatus),
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
    download: {
      ok: true,
      listEntries: 2,
      filesFetched: 2,
      keysDownloaded: 8,
      signatureVerified: true,
      files:
        o.ran === false
          ? []
          : [
              { url: `${CDN}/1.zip`, verified: true },
              { url: `${CDN}/2.zip`, verified: true },
            ],
    },
    match: { matchedKeyCount: matched, matchedTransmissionRiskLevels: matched > 0 ? [4] : [] },
    score: { mode: 'v1', value: score, threshold, passed, explanation: 'synthetic', raw: {} },
    notify: {
      notified,
      exposureCount: notified ? 1 : 0,
      reason: notified ? 'stored 1 exposure' : 'below threshold',
    },
  };
}

/** A receiving phone's chain in one trial: notified, or stopped at score (an expected break). */
export function trialChain(phone: string, platform: 'android' | 'ios', notified: boolean): PhoneChain {
  return {
    phone,
    platform,
    app: 'cocoa-x',
    expectedNotified: false,
    osVersion: '11',
    sender: 'a',
    expectedBrokenLinks: [],
    notified,
    links: notified
      ? []
      : [{ name: 'score', status: 'expected-failure', detail: 'score 3 < 21', text: { ja: '', en: '' } }],
    firstBrokenLink: null,
  };
}
