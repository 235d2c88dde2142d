import { describe, expect, it } from 'vitest';
import type { DetectionRequest, UploadRequest } from '../devices/types.js';
import { compilePlan } from '../scenario/compile.js';
import { parseScenarios } from '../scenario/loader.js';
import { loadRelease } from '../scenario/release.js';
import type { StartedStack } from '../stack/types.js';
import type { RunnerDeps } from './deps.js';
import { executeCell } from './execute-cell.js';
import { contactEvidence, detectionEvidence, listing, uploadEvidence } from './testing.js';

const NOW = Date.UTC(2026, 10, 22, 19, 0) / 1000;
const release = await loadRelease('latest');

function cellOf(steps: string, expect = 'b: { notified: false, brokenLink: upload }') {
  const src = `id: s\ntitle: { ja: "x", en: "x" }\npurpose: { ja: "x", en: "x" }\nphones: { a: { platform: android }, b: { platform: ios, backgroundCheckRuns: false } }\ntimeline:\n  - { at: "day -3 12:00", encounter: { a: a, b: b, distance: 1, duration: 30 } }\n${steps}expect: { ${expect} }\n`;
  return compilePlan(parseScenarios('f.yaml', src), { release, seed: 3, nowEpochSeconds: NOW }).scenarios[0]
    ?.cells[0];
}

function deps() {
  const calls: string[] = [];
  const uploads: UploadRequest[] = [];
  const checks: DetectionRequest[] = [];
  let offset = 0;
  let accepted = false;
  const d: RunnerDeps = {
    stack: {
      publish: async () => ({ ok: true, files: [], detail: 'ok' }),
      server: {},
    } as unknown as StartedStack,
    now: () => NOW,
    observeExports: async () => listing(),
    hersys: {
      registerPatient: async (p) => {
        calls.push(`register ${p.testDate} ${p.symptomOnsetDate}`);
        return { processingNumber: '12345678', expiresAt: new Date((NOW + 72 * 3600) * 1000).toISOString() };
      },
      revoke: async (k) => void calls.push(`revoke ${k.processingNumber}`),
      setFault: async (f) => void calls.push(`fault ${JSON.stringify(f)}`),
      clearFault: async () => void calls.push('clear'),
      setNumberFault: async (f) => void calls.push(`number fault ${JSON.stringify(f)}`),
      clearNumberFaults: async (numbers) => void calls.push(`clear ${numbers.join(',')}`),
      clock: async () => ({ offsetMs: offset, now: new Date(NOW * 1000 + offset).toISOString() }),
      setClockOffset: async (ms) => {
        offset = ms;
        calls.push(`offset ${ms}`);
      },
    },
    createWorld: () => ({
      addPhone: () => ({
        uploadDiagnosis: async (req) => {
          uploads.push(req);
          const ok =
            req.processingNumber === '12345678' && offset === 0 && !calls.some((c) => c.startsWith('revoke'));
          if (ok) accepted = true;
          return uploadEvidence(ok);
        },
        // The check matches only after an accepted upload (else the fake phone would over-notify).
        detectExposures: async (req) => {
          checks.push(req);
          return detectionEvidence(accepted ? {} : { matched: 0 });
        },
      }),
      encounter: (s) => contactEvidence(s.a, s.b),
    }),
  };
  return { d, calls, uploads, checks };
}

const DX =
  '  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1", symptomOnset: "day -2" } }\n';
const TAIL = '  - publish: {}\n  - check: { who: b, schedule: own }\n';

describe('executeCell', () => {
  it("uploads at the run's now with the issued number and the onset date, and checks on the own schedule", async () => {
    const { d, calls, uploads, checks } = deps();
    const { result } = await executeCell(
      cellOf(`${DX}  - upload: { who: a }\n${TAIL}`, 'b: { notified: true }') as never,
      { ...d, stepTimeoutMs: 500 },
    );
    // Day 0 is 2026-11-23 (anchor.ts: the first 21:00 JST at or after the run's clock).
    expect(calls).toEqual(['register 2026-11-22 2026-11-21']);
    expect(uploads[0]).toMatchObject({
      processingNumber: '12345678',
      nowEpochSeconds: NOW,
      diagnosisDate: '2026-11-21',
      hasSymptom: true,
    });
    expect(checks[0]).toMatchObject({ nowEpochSeconds: NOW, forced: false });
    expect(result.status).toBe('passed');
  });

  it('mistypes the last digit for a wrong number', async () => {
    const { d, uploads } = deps();
    const { result } = await executeCell(
      cellOf(`${DX}  - upload: { who: a, number: wrong }\n${TAIL}`) as never,
      { ...d, stepTimeoutMs: 500 },
    );
    expect(uploads[0]?.processingNumber).toBe('12345679');
    expect(result.phones[0]?.links[2]?.status).toBe('expected-failure');
    expect(result.status).toBe('passed');
  });

  it('moves the HER-SYS clock past expiry for an expired number and restores it', async () => {
    const { d, calls } = deps();
    const { result } = await executeCell(
      cellOf(`${DX}  - upload: { who: a, number: expired }\n${TAIL}`) as never,
      { ...d, stepTimeoutMs: 500 },
    );
    expect(calls.slice(1)).toEqual([`offset ${73 * 3600_000}`, 'offset 0']);
    expect(result.status).toBe('passed');
  });

  it('revokes the number before a revoked upload', async () => {
    const { d, calls } = deps();
    await executeCell(cellOf(`${DX}  - upload: { who: a, number: revoked }\n${TAIL}`) as never, {
      ...d,
      stepTimeoutMs: 500,
    });
    expect(calls).toContain('revoke 12345678');
  });

  it("maps a HER-SYS fault to the stub for the cell's own numbers and clears it when left set", async () => {
    const { d, calls } = deps();
    await executeCell(
      cellOf(
        `${DX}  - fault: { hersys: 5xx, calls: 2 }\n  - upload: { who: a }\n${TAIL}`,
        'b: { notified: true }',
      ) as never,
      { ...d, stepTimeoutMs: 500 },
    );
    const set = calls.find((c) => c.startsWith('number fault '));
    expect(JSON.parse(set?.slice('number fault '.length) ?? '{}')).toMatchObject({
      mode: 'status',
      status: 503,
      count: 2,
      numbers: expect.arrayContaining(['12345678', '12345679']),
    });
    expect(calls.at(-1)).toMatch(/^clear 12345678,12345679,\d{8}$/);
  });

  it('maps a fault set before a number is issued to the whole stub, and clears it', async () => {
    const { d, calls } = deps();
    await executeCell(
      cellOf(
        `  - fault: { hersys: 5xx, calls: 2 }\n${DX}  - upload: { who: a }\n${TAIL}`,
        'b: { notified: true }',
      ) as never,
      { ...d, stepTimeoutMs: 500 },
    );
    expect(calls).toContain('fault {"mode":"status","status":503,"count":2}');
    expect(calls.at(-1)).toBe('clear');
  });

  it('fails the diagnosis link when the web screen is unavailable', async () => {
    const { d } = deps();
    const dx = '  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1", via: web-screen } }\n';
    const { result } = await executeCell(cellOf(`${dx}${TAIL}`, 'b: { notified: true }') as never, {
      ...d,
      stepTimeoutMs: 500,
    });
    expect(result.firstBrokenLink).toBe('diagnosis');
    expect(result.phones[0]?.links[1]?.detail).toContain('web-screen issuing is not available');
  });

  it('blames no link when the cell errors (an app or environment fault is not a broken link)', async () => {
    const { d } = deps();
    const crashing: RunnerDeps = {
      ...d,
      stack: {
        ...d.stack,
        publish: async () => {
          throw new Error('app crashed: exit code 1');
        },
      } as unknown as StartedStack,
    };
    const { result } = await executeCell(
      cellOf(`${DX}  - upload: { who: a }\n${TAIL}`, 'b: { notified: true }') as never,
      {
        ...crashing,
        stepTimeoutMs: 500,
      },
    );
    expect(result.status).toBe('error');
    expect(result.errors[0]).toContain('app crashed');
    expect(result.firstBrokenLink).toBeNull();
    expect(result.phones.every((p) => p.firstBrokenLink === null)).toBe(true);
    expect(result.links.some((l) => l.status === 'failed')).toBe(false);
    // What had positive evidence before the fault still shows as held.
    expect(result.links.find((l) => l.name === 'upload')?.status).toBe('passed');
  });
});
