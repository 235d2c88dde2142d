/**
 * What a population run must show, per platform: a bound on sensitivity (close contacts notified) and
 * on the false-alarm rate (non-close contacts notified), from `--expect-sensitivity ">= 0.8"`,
 * `--expect-false-alarm "<= 0.3"` or a small YAML file. Each is judged on the rate's exact interval:
 * it holds when the whole interval satisfies the bound, fails when the whole interval breaks it, and
 * is inconclusive (not a pass) when the interval straddles it.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Platform } from '../devices/types.js';
import type { Proportion } from './stats.js';

export const RATES = ['sensitivity', 'falseAlarm'] as const;
export type RateName = (typeof RATES)[number];
const PLATFORMS: readonly Platform[] = ['android', 'ios'];

export type BoundOp = '>=' | '>' | '<=' | '<';
export interface RateBound {
  readonly op: BoundOp;
  readonly value: number;
}

export interface PopulationExpectation {
  readonly rate: RateName;
  readonly platform: Platform;
  readonly bound: RateBound;
}

export type ExpectationVerdict = 'holds' | 'fails' | 'inconclusive';

export interface JudgedExpectation extends PopulationExpectation {
  readonly proportion: Proportion;
  readonly verdict: ExpectationVerdict;
}

export class PopulationExpectationError extends Error {
  readonly code = 'POPULATION_EXPECTATION_INVALID';
}

/** ">= 0.8" → { op: '>=', value: 0.8 }; null unless a comparison with a rate in [0, 1]. */
export function parseBound(text: string): RateBound | null {
  const m = /^\s*(>=|<=|>|<)\s*(0(?:\.\d+)?|1(?:\.0+)?|\.\d+)\s*$/.exec(text);
  return m ? { op: m[1] as BoundOp, value: Number(m[2]) } : null;
}

const holds = (op: BoundOp, x: number, v: number) =>
  op === '>=' ? x >= v : op === '>' ? x > v : op === '<=' ? x <= v : x < v;

/** Judges a bound on the rate's exact interval; no trials at all is inconclusive. */
export function judgeBound(bound: RateBound, p: Proportion): ExpectationVerdict {
  if (p.interval === null) return 'inconclusive';
  const [low, high] = p.interval;
  const all = holds(bound.op, low, bound.value) && holds(bound.op, high, bound.value);
  const none = !holds(bound.op, low, bound.value) && !holds(bound.op, high, bound.value);
  return all ? 'holds' : none ? 'fails' : 'inconclusive';
}

/** The CLI's flags: each bound applies to both platforms. */
export function expectationsFromFlags(flags: {
  readonly sensitivity?: string;
  readonly falseAlarm?: string;
}): PopulationExpectation[] {
  const out: PopulationExpectation[] = [];
  for (const [rate, flag, text] of [
    ['sensitivity', '--expect-sensitivity', flags.sensitivity],
    ['falseAlarm', '--expect-false-alarm', flags.falseAlarm],
  ] as const) {
    if (text === undefined) continue;
    const bound = parseBound(text);
    if (!bound)
      throw new PopulationExpectationError(
        `${flag} must be a comparison with a rate from 0 to 1, like ">= 0.8", got "${text}"`,
      );
    for (const platform of PLATFORMS) out.push({ rate, platform, bound });
  }
  return out;
}

const YAML_KEYS: Readonly<Record<string, RateName>> = {
  sensitivity: 'sensitivity',
  'false-alarm': 'falseAlarm',
};

/**
 * A YAML file of bounds, the same for both platforms or per platform:
 *   sensitivity: ">= 0.8"
 *   false-alarm: { android: "<= 0.3", ios: "<= 0.25" }
 */
export function parseExpectationsYaml(text: string, file: string): PopulationExpectation[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (node: { range?: [number, number, number] | null } | null | undefined) =>
    node?.range ? `:${lines.linePos(node.range[0]).line}` : '';
  const fail = (node: Parameters<typeof at>[0], field: string, rule: string): never => {
    throw new PopulationExpectationError(`${file}${at(node)}: ${field} ${rule}`);
  };
  if (doc.errors.length > 0) fail(null, '(document)', `is not YAML: ${doc.errors[0].message}`);
  const root = doc.contents;
  if (!isMap(root)) return fail(root, '(document)', 'must be a mapping of sensitivity / false-alarm');
  const out: PopulationExpectation[] = [];
  const bound = (node: unknown, field: string): RateBound => {
    const b = isScalar(node) && typeof node.value === 'string' ? parseBound(node.value) : null;
    return b ?? fail(node as Parameters<typeof at>[0], field, 'must be a bound like ">= 0.8"');
  };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const rate = YAML_KEYS[key];
    if (!rate)
      fail(pair.key as Parameters<typeof at>[0], key || '(key)', 'is not one of sensitivity, false-alarm');
    if (isMap(pair.value)) {
      for (const p of pair.value.items) {
        const platform = isScalar(p.key) ? String(p.key.value) : '';
        if (platform !== 'android' && platform !== 'ios')
          fail(p.key as Parameters<typeof at>[0], `${key}.${platform}`, 'must be android or ios');
        out.push({ rate, platform: platform as Platform, bound: bound(p.value, `${key}.${platform}`) });
      }
    } else {
      const b = bound(pair.value, key);
      for (const platform of PLATFORMS) out.push({ rate, platform, bound: b });
    }
  }
  return out;
}

export async function loadExpectationsFile(file: string): Promise<PopulationExpectation[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new PopulationExpectationError(`${file}: cannot read (${e instanceof Error ? e.message : e})`);
  }
  return parseExpectationsYaml(text, file);
}

/** Judges every expectation against a run's rates. */
export function judgeExpectations(
  expectations: readonly PopulationExpectation[],
  rates: Readonly<Record<Platform, Readonly<Record<RateName, Proportion>>>>,
): JudgedExpectation[] {
  return expectations.map((e) => {
    const proportion = rates[e.platform][e.rate];
    return { ...e, proportion, verdict: judgeBound(e.bound, proportion) };
  });
}
