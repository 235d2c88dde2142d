import { describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog, parseCatalog } from './catalog.js';
import { KINDS } from './kinds.js';
import { formatMutant } from './terminal.js';

describe('the audit catalog', () => {
  it('holds at least 30 realistic defects plus the control, every one playable', async () => {
    const mutants = await loadCatalog();
    const defects = mutants.filter((m) => m.expected !== 'none');
    expect(defects.length).toBeGreaterThanOrEqual(30);
    expect(mutants.filter((m) => m.expected === 'none')).toHaveLength(1);
    for (const m of mutants) expect(() => m.plant({ now: Date.now }), m.id).not.toThrow();
    // Every class the detection issue names is represented.
    const classes = new Set(defects.map((m) => m.class));
    for (const c of [
      'day-and-window-edges',
      'hersys-failure-semantics',
      'several-files-per-day',
      'configuration-delivery',
      'exact-thresholds',
      'bookkeeping-after-failure',
    ])
      expect(classes.has(c), c).toBe(true);
  });

  it('holds at least 10 over-notifying defects, a third of the catalog or more', async () => {
    const mutants = await loadCatalog();
    const over = mutants.filter((m) => m.direction === 'over');
    expect(over.length).toBeGreaterThanOrEqual(10);
    expect(over.length * 3).toBeGreaterThanOrEqual(mutants.length);
    expect(over.every((m) => m.expected === 'score' || m.expected === 'notify')).toBe(true);
    // Left out, a direction reads as lost notifications.
    const [m] = parseCatalog(
      '- { id: a, class: x, where: app, kind: no-visible-change, expected: score, story: s }',
      'u.yaml',
    );
    expect(m?.direction).toBe('under');
  });

  it("shows a survivor's blind spot instead of its closest cells; a blind spot is never empty", () => {
    const [m] = parseCatalog(
      '- { id: a, class: x, where: server, kind: no-visible-change, expected: publish, story: s, blindSpot: the clock }',
      'b.yaml',
    );
    const survivor = {
      id: m!.id,
      class: m!.class,
      where: m!.where,
      story: m!.story,
      expected: m!.expected,
      blindSpot: m!.blindSpot,
      status: 'survived' as const,
      namedLinks: [],
      failedCells: [],
      namedExpected: false,
      closest: [{ cell: 'c1', changedLinks: ['publish'] }],
      durationMs: 1000,
    };
    expect(formatMutant(survivor)).toContain('blind spot: the clock');
    expect(formatMutant({ ...survivor, blindSpot: undefined })).toContain('closest: c1 (publish)');
    expect(() =>
      parseCatalog(
        "- { id: a, class: x, where: app, kind: no-visible-change, expected: score, story: s, blindSpot: '' }",
        'e.yaml',
      ),
    ).toThrow(/entry 1: blindSpot/);
  });

  it('names the entry and the field of a bad catalog', () => {
    const bad = '- { id: a-b, class: x, where: server, kind: nope, expected: score, story: s }';
    expect(() => parseCatalog(bad, 'my.yaml')).toThrow(CatalogError);
    expect(() => parseCatalog(bad, 'my.yaml')).toThrow(/my\.yaml: entry 1: kind must be one of/);
    const dup = `- { id: a, class: x, where: app, kind: no-visible-change, expected: none, story: s }
- { id: a, class: x, where: app, kind: no-visible-change, expected: none, story: s }`;
    expect(() => parseCatalog(dup, 'd.yaml')).toThrow(/entry 2: id "a" is used twice/);
    expect(() =>
      parseCatalog(
        '- { id: a, class: x, where: app, kind: no-visible-change, expected: somewhere, story: s }',
        'e.yaml',
      ),
    ).toThrow(/entry 1: expected/);
  });

  it('rejects unknown key filters when the defect is planted', () => {
    expect(() => KINDS['export-drops-keys']({ keys: 'tuesdays' }, { now: Date.now })).toThrow(
      /unknown key filter "tuesdays"/,
    );
  });
});
