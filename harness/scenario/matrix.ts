/**
 * Matrix expansion: each axis lists values; an axis value may be an object, which sets several
 * variables at once (e.g. `cases: [{distance: 1, duration: 20, notified: true}]`). The cross
 * product gives the cells; `${var}` is substituted in the scenario (a whole-string `${var}` keeps
 * the value's type, so `distance: ${distance}` stays a number).
 */
export type AxisValue = string | number | boolean;
export type Matrix = Readonly<Record<string, readonly (AxisValue | Readonly<Record<string, AxisValue>>)[]>>;

export interface MatrixCell {
  /** Variables of this cell, typed. */
  readonly vars: Readonly<Record<string, AxisValue>>;
  /** The same as strings, in axis order (for ids and reports). */
  readonly labels: Readonly<Record<string, string>>;
}

/** The cross product of the axes, in declaration order (first axis varies slowest). */
export function expandMatrix(matrix: Matrix): MatrixCell[] {
  let cells: MatrixCell[] = [{ vars: {}, labels: {} }];
  for (const [axis, values] of Object.entries(matrix)) {
    const next: MatrixCell[] = [];
    for (const cell of cells) {
      for (const v of values) {
        if (typeof v === 'object') {
          const labels: Record<string, string> = {};
          for (const [k, x] of Object.entries(v)) labels[k] = String(x);
          next.push({ vars: { ...cell.vars, ...v }, labels: { ...cell.labels, ...labels } });
        } else {
          next.push({ vars: { ...cell.vars, [axis]: v }, labels: { ...cell.labels, [axis]: String(v) } });
        }
      }
    }
    cells = next;
  }
  return cells;
}

const WHOLE = /^\$\{(\w+)\}$/;
const PART = /\$\{(\w+)\}/g;

export interface UnresolvedVariable {
  readonly path: readonly (string | number)[];
  readonly name: string;
}

/** Substitutes `${var}` in every string of `value`; names without a value are collected, not thrown. */
export function substitute(
  value: unknown,
  vars: Readonly<Record<string, AxisValue>>,
  unresolved: UnresolvedVariable[] = [],
  path: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) {
      const name = whole[1] as string;
      if (Object.hasOwn(vars, name)) return vars[name];
      unresolved.push({ path, name });
      return value;
    }
    return value.replace(PART, (m, name: string) => {
      if (Object.hasOwn(vars, name)) return String(vars[name]);
      unresolved.push({ path, name });
      return m;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, vars, unresolved, [...path, i]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, vars, unresolved, [...path, k]);
    return out;
  }
  return value;
}
