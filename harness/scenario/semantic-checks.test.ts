import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioErrors } from './errors.js';
import { MAX_SCENARIO_FILE_BYTES } from './limits.js';
import { loadScenarios, parseScenarios } from './loader.js';

/** A valid scenario with one line replaced: the line numbers below count from `id` = line 1. */
const scenario = (over: Partial<Record<'enc' | 'diag' | 'expect', string>> = {}) => `id: s1
title: { ja: "題", en: "Title" }
purpose: { ja: "目的", en: "Purpose" }
phones: { a: {}, b: {} }
timeline:
  - ${over.enc ?? '{ at: "day -3 12:00", encounter: { a: a, b: b, distance: 1, duration: 20 } }'}
  - ${over.diag ?? '{ at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }'}
  - upload: { who: a }
  - publish: {}
  - check: { who: b }
expect: ${over.expect ?? '{ b: { notified: true } }'}
`;

function errorsOf(source: string): string[] {
  try {
    parseScenarios('scenarios/x.yaml', source);
  } catch (e) {
    if (e instanceof ScenarioErrors) return e.errors.map((x) => x.message);
    throw e;
  }
  return [];
}

describe('semantic checks of a scenario', () => {
  it('accepts the valid scenario', () => {
    expect(errorsOf(scenario())).toEqual([]);
  });

  it('accepts a sender expectation on the patient, and rejects one on a phone that never uploads', () => {
    expect(
      errorsOf(scenario({ expect: '{ b: { notified: true }, a: { upload: [retryable, accepted] } }' })),
    ).toEqual([]);
    expect(errorsOf(scenario({ expect: '{ b: { upload: accepted } }' }))).toEqual([
      expect.stringMatching(/expect\.b\.upload must name a phone that uploads/),
    ]);
  });

  it('rejects a sender expectation with receiver fields, or neither notified nor upload', () => {
    expect(errorsOf(scenario({ expect: '{ a: { upload: rejected, notified: false } }' })).join('\n')).toMatch(
      /notified must be given for a receiver, or left out for a sender/,
    );
    expect(
      errorsOf(scenario({ expect: '{ b: { notified: true }, a: { upload: maybe } }' })).join('\n'),
    ).toMatch(/upload must be an upload outcome \(accepted, rejected, retryable\)/);
    expect(errorsOf(scenario({ expect: '{ b: {} }' })).join('\n')).toMatch(/notified must be given/);
  });

  it('rejects a phone meeting itself at the second phone', () => {
    expect(
      errorsOf(
        scenario({ enc: '{ at: "day -3 12:00", encounter: { a: a, b: a, distance: 1, duration: 20 } }' }),
      ),
    ).toEqual([
      'scenarios/x.yaml:6:49: timeline[0].encounter.b must be another phone than a ("a"): a phone cannot meet itself',
    ]);
  });

  it('rejects an encounter longer than a day, naming the limit', () => {
    const [e] = errorsOf(
      scenario({ enc: '{ at: "day -3 12:00", encounter: { a: a, b: b, distance: 1, duration: 100000 } }' }),
    );
    expect(e).toBe(
      'scenarios/x.yaml:6:75: timeline[0].encounter.duration must be at most 1440 minutes (one day; write a longer contact as one encounter per day), got 100000',
    );
  });

  it('rejects an expectation on the only patient, but not on a patient another patient met', () => {
    expect(errorsOf(scenario({ expect: '{ a: { notified: false, brokenLink: contact } }' }))[0]).toMatch(
      /^scenarios\/x\.yaml:11:14: expect\.a must not name the patient "a" \(diagnosed at timeline\[1\]\)/,
    );
    const bothPatients = scenario({ expect: '{ a: { notified: true }, b: { notified: true } }' }).replace(
      '  - upload: { who: a }',
      '  - { at: "day -1 11:00", diagnose: { patient: b, testDate: "day -1" } }\n  - upload: { who: a }',
    );
    expect(errorsOf(bothPatients)).toEqual([]);
  });

  it('rejects steps, test dates and deadlines after today', () => {
    expect(
      errorsOf(scenario({ diag: '{ at: "day 2 10:00", diagnose: { patient: a, testDate: "day 1" } }' })),
    ).toEqual([
      'scenarios/x.yaml:7:11: timeline[1].at must lie by day 1 ("day 2 10:00"): steps after now move the run\'s clock, up to the day after today; write e.g. "day 1 09:30" or "now +10m"',
      'scenarios/x.yaml:7:60: timeline[1].diagnose.testDate must not lie in the future ("day 1"): day 0 is today and every step happens by now; write e.g. "day -1 10:00"',
    ]);
    expect(errorsOf(scenario({ expect: '{ b: { notified: true, by: "day 3" } }' }))[0]).toMatch(
      /^scenarios\/x\.yaml:11:\d+: expect\.b\.by must lie by day 1 \("day 3"\)/,
    );
  });

  it('refuses a file over the size limit before parsing it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-limit-'));
    try {
      const file = path.join(dir, 'big.yaml');
      // Valid YAML all through: only the size can refuse it.
      await writeFile(file, `${scenario()}${'# padding\n'.repeat(MAX_SCENARIO_FILE_BYTES / 10 + 1)}`);
      const err = await loadScenarios([file]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScenarioErrors);
      expect((err as ScenarioErrors).message).toMatch(
        new RegExp(
          `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:1: file is 256 KiB; a scenario file may be at most 256 KiB \\(split it into several files\\)$`,
        ),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
