// biome-ignore-all lint/suspicious/noTemplateCurlyInString: scenario sources use ${var} on purpose
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioErrors } from './errors.js';
import { loadScenarios, parseScenarios } from './loader.js';

const GOOD = `id: s1
title: { ja: "題", en: "Title" }
purpose: { ja: "目的", en: "Purpose" }
tags: [t]
phones: { a: {}, b: { platform: ios } }
timeline:
  - { at: "day -3 12:00", encounter: { a: a, b: b, distance: 1, duration: 20 } }
  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }
  - upload: { who: a }
  - publish: {}
  - check: { who: b }
expect: { b: { notified: true } }
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

describe('parseScenarios', () => {
  it('reads a valid scenario with defaults filled in', () => {
    const [s] = parseScenarios('scenarios/x.yaml', GOOD);
    expect(s?.id).toBe('s1');
    expect(s?.cells).toHaveLength(1);
    const doc = s?.cells[0]?.doc;
    expect(doc?.timeline[0]?.encounter).toMatchObject({ environment: 'office', bodyShadowing: 0 });
    expect(doc?.timeline[2]?.upload).toEqual({ who: 'a', number: 'issued' });
    expect(doc?.phones.b?.platform).toBe('ios');
  });

  it('reads a notification count, exact or at most, and names a bad one', () => {
    const withCount = (c: string) =>
      GOOD.replace('notified: true }', `notified: true, notifications: ${c} }`);
    expect(parseScenarios('f.yaml', withCount('1'))[0]?.cells[0]?.doc.expect.b?.notifications).toBe(1);
    expect(errorsOf(withCount('"<= 2"'))).toEqual([]);
    expect(errorsOf(withCount('"about 2"'))[0]).toMatch(
      /scenarios\/x\.yaml:\d+:\d+: expect\.b\.notifications must be a count like 1 \(exactly\) or "<= 1" \(at most\)/,
    );
    expect(errorsOf(withCount('1.5'))[0]).toMatch(/notifications must be a count/);
    const negative = GOOD.replace(
      'notified: true }',
      'notified: false, brokenLink: score, notifications: 0 }',
    );
    expect(errorsOf(negative)[0]).toMatch(/notifications applies to a receiver expected to be notified/);
  });

  it('reads several scenarios separated by ---', () => {
    const two = `${GOOD}---\n${GOOD.replace('id: s1', 'id: s2')}`;
    expect(parseScenarios('f.yaml', two).map((s) => s.id)).toEqual(['s1', 's2']);
  });

  it('names file, line and column and the expected values for a bad enum', () => {
    const errs = errorsOf(GOOD.replace('b: { platform: ios }', 'b: { platform: windows }'));
    expect(errs).toEqual(['scenarios/x.yaml:5:33: phones.b.platform must be "android" or "ios"']);
  });

  it('locates a wrong type inside the timeline', () => {
    const errs = errorsOf(GOOD.replace('distance: 1,', 'distance: near,'));
    expect(errs).toEqual([
      'scenarios/x.yaml:7:62: timeline[0].encounter.distance must be a distance in metres',
    ]);
  });

  it('locates an unknown field at its key', () => {
    const errs = errorsOf(GOOD.replace('tags: [t]', 'tags: [t]\ncolour: red'));
    expect(errs[0]).toMatch(/^scenarios\/x\.yaml:5:1: colour is not a known field/);
  });

  it('reports a missing required field at its parent', () => {
    const errs = errorsOf(GOOD.replace('purpose: { ja: "目的", en: "Purpose" }\n', ''));
    expect(errs[0]).toMatch(/^scenarios\/x\.yaml:1:1: purpose must be \{ja, en\}/);
  });

  it('rejects a bad relative time with the accepted forms', () => {
    const errs = errorsOf(GOOD.replace('"day -3 12:00"', '"three days ago"'));
    expect(errs).toEqual([
      'scenarios/x.yaml:7:11: timeline[0].at must be a time like "day -5 10:00" or "now"',
    ]);
  });

  it('rejects a step naming an unknown phone', () => {
    const errs = errorsOf(GOOD.replace('upload: { who: a }', 'upload: { who: zz }'));
    expect(errs).toEqual([
      'scenarios/x.yaml:9:20: timeline[2].upload.who must name a phone of this scenario (a, b)',
    ]);
  });

  it('rejects a step with two kinds', () => {
    const errs = errorsOf(GOOD.replace('  - publish: {}', '  - { publish: {}, check: { who: b } }'));
    expect(errs[0]).toBe(
      'scenarios/x.yaml:10:5: timeline[3] must have exactly one of encounter, diagnose, upload, publish, check, fault (found publish, check)',
    );
  });

  it('reports invalid YAML with its position', () => {
    const errs = errorsOf('id: [unclosed\n');
    expect(errs[0]).toMatch(/^scenarios\/x\.yaml:\d+:\d+: invalid YAML/);
  });

  it('rejects an undefined matrix variable, naming the known ones', () => {
    const errs = errorsOf(`${GOOD.replace('distance: 1,', 'distance: "${dist}",')}matrix: { d: [1, 2] }\n`);
    expect(errs[0]).toBe(
      'scenarios/x.yaml:7:62: timeline[0].encounter.distance uses ${dist}, which must be a matrix variable (d)',
    );
  });

  it('rejects duplicate ids within a file', () => {
    const errs = errorsOf(`${GOOD}---\n${GOOD}`);
    expect(errs).toEqual(['scenarios/x.yaml:14:1: id "s1" must be unique (also at line 1)']);
  });
});

describe('matrix expansion', () => {
  it('expands axes and case objects into cells and keeps substituted numbers numeric', () => {
    const src = `${GOOD.replace('distance: 1, duration: 20', 'distance: "${distance}", duration: "${duration}"').replace('notified: true', 'notified: "${n}", brokenLink: score')}matrix:\n  platform: [android, ios]\n  cases:\n    - { distance: 1, duration: 20, n: true }\n    - { distance: 5, duration: 10, n: false }\n`;
    const [s] = parseScenarios('f.yaml', src);
    expect(s?.cells.map((c) => c.matrix.labels)).toEqual([
      { platform: 'android', distance: '1', duration: '20', n: 'true' },
      { platform: 'android', distance: '5', duration: '10', n: 'false' },
      { platform: 'ios', distance: '1', duration: '20', n: 'true' },
      { platform: 'ios', distance: '5', duration: '10', n: 'false' },
    ]);
    expect(s?.cells[1]?.doc.timeline[0]?.encounter?.distance).toBe(5);
    expect(s?.cells[1]?.doc.expect.b?.notified).toBe(false);
  });
});

describe('loadScenarios', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ichiren-scen-'));
    await writeFile(path.join(dir, 'a.yaml'), GOOD);
    await writeFile(path.join(dir, 'b.yaml'), GOOD);
    await writeFile(path.join(dir, 'notes.txt'), 'ignored');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('rejects the same id in two files, naming both', async () => {
    await expect(loadScenarios([dir])).rejects.toThrow(
      /b\.yaml:1:1: id "s1" must be unique \(also in .*a\.yaml:1\)/,
    );
  });

  it('loads the standard library without errors (>= 30 scenarios, one-line purposes)', async () => {
    const all = await loadScenarios(['scenarios']);
    expect(all.length).toBeGreaterThanOrEqual(30);
    for (const s of all) expect(s.purpose.en).not.toContain('\n');
  });

  it('reports a missing path', async () => {
    await expect(loadScenarios([path.join(dir, 'missing')])).rejects.toThrow(
      /missing:1:1: path must be an existing file or folder/,
    );
  });
});
