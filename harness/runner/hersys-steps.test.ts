/**
 * The runner's HER-SYS steps against the real dummy HER-SYS (stubs/hersys) over HTTP: the phone here
 * is a stand-in that asks the stub's verify endpoint as the server would (cocoa.md §2), so wrong,
 * expired, reused and revoked numbers and faults are judged by the stub, not by the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HerSysControlClient, type StartedHerSysStub, startHerSysStub } from '../../stubs/hersys/index.js';
import { compilePlan } from '../scenario/compile.js';
import { parseScenarios } from '../scenario/loader.js';
import { loadRelease } from '../scenario/release.js';
import type { StartedStack } from '../stack/types.js';
import type { HerSysControl, RunnerDeps } from './deps.js';
import { executeCell } from './execute-cell.js';
import { contactEvidence, detectionEvidence, listing, uploadEvidence } from './testing.js';

let stub: StartedHerSysStub;
beforeAll(async () => {
  stub = await startHerSysStub({ port: 0, seed: 5 });
});
afterAll(() => stub.stop());

const release = await loadRelease('latest');

function deps(): RunnerDeps & { stepTimeoutMs: number } {
  const hersys = new HerSysControlClient(stub.controlUrl, stub.controlToken) as unknown as HerSysControl;
  return {
    stepTimeoutMs: 5000,
    hersys,
    stack: {
      publish: async () => ({ ok: true, files: [], detail: 'ok' }),
      server: {},
    } as unknown as StartedStack,
    observeExports: async () => listing(),
    createWorld: () => {
      // A phone's check matches only when a phone it met had its upload accepted: a fake that
      // notified regardless would be an over-notifying phone.
      const met = new Map<string, string[]>();
      const accepted = new Set<string>();
      const meet = (x: string, y: string) => met.set(x, [...(met.get(x) ?? []), y]);
      return {
        encounter: (s) => {
          meet(s.a, s.b);
          meet(s.b, s.a);
          return contactEvidence(s.a, s.b);
        },
        addPhone: (p) => ({
          uploadDiagnosis: async (req) => {
            const r = await fetch(stub.verifyUrl, {
              method: 'POST',
              body: JSON.stringify({ [stub.parameterName]: req.processingNumber }),
              signal: AbortSignal.timeout(3000),
            }).catch(() => null);
            const body = r?.ok ? ((await r.json().catch(() => ({}))) as { result?: string }) : {};
            if (body.result === 'OK') accepted.add(p.id);
            return body.result === 'OK'
              ? uploadEvidence(true)
              : uploadEvidence(false, r ? (r.ok ? 406 : 503) : 503);
          },
          detectExposures: async () =>
            detectionEvidence((met.get(p.id) ?? []).some((x) => accepted.has(x)) ? {} : { matched: 0 }),
        }),
      };
    },
  };
}

async function run(steps: string, expectB: string) {
  const src = `id: s\ntitle: { ja: "x", en: "x" }\npurpose: { ja: "x", en: "x" }\nphones: { a: {}, b: {}, c: {}, d: {} }\ntimeline:\n  - { at: "day -3 12:00", encounter: { a: a, b: b, distance: 1, duration: 30 } }\n  - { at: "day -3 13:00", encounter: { a: c, b: d, distance: 1, duration: 30 } }\n  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }\n  - { at: "day -1 11:00", diagnose: { patient: c, testDate: "day -1" } }\n${steps}  - publish: {}\n  - check: { who: b }\n  - check: { who: d }\nexpect: { ${expectB} }\n`;
  const cell = compilePlan(parseScenarios('f.yaml', src), {
    release,
    seed: 9,
    nowEpochSeconds: Math.floor(Date.now() / 1000),
  }).scenarios[0]?.cells[0];
  return (await executeCell(cell as never, deps())).result;
}

describe('HER-SYS steps against the dummy HER-SYS', () => {
  it('accepts the issued number', async () => {
    const r = await run('  - upload: { who: a }\n', 'b: { notified: true }');
    expect(r.status).toBe('passed');
  });

  it.each(['wrong', 'expired', 'revoked'])('rejects a %s number at upload', async (kind) => {
    const r = await run(
      `  - upload: { who: a, number: ${kind} }\n`,
      'b: { notified: false, brokenLink: upload }',
    );
    expect(r.status, r.errors.join('\n')).toBe('passed');
    expect(r.phones[0]?.links[2]?.status).toBe('expected-failure');
  });

  it('rejects a number used a second time', async () => {
    const r = await run(
      '  - upload: { who: a }\n  - upload: { who: c, number: reused }\n',
      'b: { notified: true }, d: { notified: false, brokenLink: upload }',
    );
    expect(r.status, r.errors.join('\n')).toBe('passed');
  });

  it('fails the upload while HER-SYS is down and succeeds once it is cleared', async () => {
    const down = await run(
      '  - fault: { hersys: down }\n  - upload: { who: a }\n',
      'b: { notified: false, brokenLink: upload }',
    );
    expect(down.status, down.errors.join('\n')).toBe('passed');
    const retry = await run(
      '  - fault: { hersys: 5xx, calls: 1 }\n  - upload: { who: a }\n  - upload: { who: a }\n',
      'b: { notified: true }',
    );
    expect(retry.status, retry.errors.join('\n')).toBe('passed');
    expect(await stub.client.fault()).toBeNull();
  });

  it('judges a sender by what its app told the user, at the upload link of its own chain', async () => {
    const ok = await run(
      '  - fault: { hersys: 5xx, calls: 1 }\n  - upload: { who: a }\n  - upload: { who: a, retry: if-retryable }\n',
      'b: { notified: true }, a: { upload: [retryable, accepted] }',
    );
    expect(ok.status, ok.errors.join('\n')).toBe('passed');
    expect(ok.phones.map((p) => [p.phone, p.expectedUpload])).toEqual([
      ['b', undefined],
      ['a', ['retryable', 'accepted']],
    ]);
    const wrong = await run(
      '  - upload: { who: a, number: wrong }\n',
      'b: { notified: false, brokenLink: upload }, a: { upload: retryable }',
    );
    expect(wrong.status).toBe('failed');
    const sender = wrong.phones.find((p) => p.phone === 'a');
    expect(sender?.firstBrokenLink).toBe('upload');
    expect(sender?.links.find((l) => l.name === 'upload')?.detail).toMatch(
      /expected retryable, got rejected/,
    );
    expect(wrong.firstBrokenLink).toBeNull(); // the cell's own row is the receiver's
  });

  it('makes a retry only after "try again later": after a rejected number the user stops', async () => {
    const r = await run(
      '  - upload: { who: a, number: wrong }\n  - upload: { who: a, retry: if-retryable }\n',
      'b: { notified: false, brokenLink: upload }, a: { upload: rejected }',
    );
    expect(r.status, r.errors.join('\n')).toBe('passed');
    expect(r.timeline.filter((e) => e.kind === 'upload').map((e) => e.detail)).toEqual([
      expect.stringMatching(/wrong number, HTTP 406 \(rejected\)/),
      expect.stringMatching(/^not retried: .*\(rejected\)/),
    ]);
  });
});
