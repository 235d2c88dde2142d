import {
  type ActiveFault,
  type ActiveNumberFault,
  FAULT_MODES,
  type FaultMode,
  type FaultSpec,
  type NumberFaultSpec,
} from './types.js';

export class FaultSpecError extends Error {
  readonly code = 'HERSYS_BAD_FAULT';
}

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Upper bounds of fault values: larger ones are typing mistakes that would wedge the stub (timers overflow). */
export const FAULT_LIMITS = {
  latencyMs: 600_000,
  forMs: 3_600_000,
  count: 1_000_000,
  numbers: 1_000,
} as const;

/** Validates a `PUT /control/faults` body; throws FaultSpecError naming the field. */
export function parseFaultSpec(body: unknown): FaultSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FaultSpecError('body must be a JSON object like {"mode":"status","status":503}');
  }
  const b = body as Record<string, unknown>;
  if (!FAULT_MODES.includes(b.mode as FaultMode)) {
    throw new FaultSpecError(`mode: must be one of ${FAULT_MODES.join(', ')}, got ${JSON.stringify(b.mode)}`);
  }
  const mode = b.mode as FaultMode;
  if (b.latencyMs !== undefined && !(isNonNegInt(b.latencyMs) && b.latencyMs <= FAULT_LIMITS.latencyMs)) {
    throw new FaultSpecError(`latencyMs: must be an integer from 0 to ${FAULT_LIMITS.latencyMs}`);
  }
  if (mode === 'latency' && b.latencyMs === undefined)
    throw new FaultSpecError('latencyMs: required for mode "latency"');
  if (b.count !== undefined && (!isNonNegInt(b.count) || b.count === 0 || b.count > FAULT_LIMITS.count)) {
    throw new FaultSpecError(`count: must be an integer from 1 to ${FAULT_LIMITS.count}`);
  }
  if (mode === 'status') {
    const s = b.status;
    if (typeof s !== 'number' || !(s === 429 || (Number.isInteger(s) && s >= 500 && s <= 599))) {
      throw new FaultSpecError(`status: must be 429 or 500–599 for mode "status", got ${JSON.stringify(s)}`);
    }
  } else if (b.status !== undefined) {
    throw new FaultSpecError('status: only for mode "status"');
  }
  if (b.forMs !== undefined && (mode !== 'down' || !isNonNegInt(b.forMs) || b.forMs > FAULT_LIMITS.forMs)) {
    throw new FaultSpecError(`forMs: an integer from 0 to ${FAULT_LIMITS.forMs}, only for mode "down"`);
  }
  const spec: { -readonly [K in keyof FaultSpec]: FaultSpec[K] } = { mode };
  if (b.latencyMs !== undefined) spec.latencyMs = b.latencyMs as number;
  if (b.status !== undefined) spec.status = b.status as number;
  if (b.count !== undefined) spec.count = b.count as number;
  if (b.forMs !== undefined) spec.forMs = b.forMs as number;
  return spec;
}

/** Validates a `PUT /control/faults/by-number` body; throws FaultSpecError naming the field. */
export function parseNumberFaultSpec(body: unknown): NumberFaultSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new FaultSpecError(
      'body must be a JSON object like {"numbers":["12345678"],"mode":"status","status":503}',
    );
  const { numbers, ...rest } = body as Record<string, unknown>;
  const spec = parseFaultSpec(rest);
  if (spec.mode === 'down')
    throw new FaultSpecError('mode: "down" cannot be set by number (a refused connection carries none)');
  if (
    !Array.isArray(numbers) ||
    numbers.length === 0 ||
    numbers.length > FAULT_LIMITS.numbers ||
    !numbers.every((n) => typeof n === 'string' && n.length > 0 && n.length <= 64)
  ) {
    throw new FaultSpecError(
      `numbers: must be a list of 1 to ${FAULT_LIMITS.numbers} processing numbers (strings of 1–64 characters)`,
    );
  }
  return { ...spec, numbers: [...new Set(numbers as string[])] };
}

/** A fault's budget after one more call: undefined once it is spent. */
function spend<T extends { readonly remaining: number | null }>(fault: T): T | undefined {
  if (fault.remaining === null) return fault;
  return fault.remaining > 1 ? { ...fault, remaining: fault.remaining - 1 } : undefined;
}

/**
 * The stub-wide fault and the faults set for particular numbers, with their remaining budgets. A
 * call carrying a number that has a fault of its own meets that one; every other call the stub-wide one.
 */
export class FaultBox {
  #active: ActiveFault | null = null;
  /** Each number's fault; the numbers of one spec share one entry (and so one budget). */
  readonly #byNumber = new Map<string, { fault: ActiveNumberFault | undefined }>();

  get active(): ActiveFault | null {
    return this.#active;
  }

  set(spec: FaultSpec): ActiveFault {
    this.#active = { ...spec, remaining: spec.count ?? null };
    return this.#active;
  }

  clear(): void {
    this.#active = null;
  }

  /** The faults set for particular numbers, each once. */
  get byNumber(): ActiveNumberFault[] {
    const faults = new Set<ActiveNumberFault>();
    for (const entry of this.#byNumber.values()) if (entry.fault) faults.add(entry.fault);
    return [...faults];
  }

  /** Sets a fault for `spec.numbers`, replacing any fault those numbers had. */
  setForNumbers(spec: NumberFaultSpec): ActiveNumberFault {
    const entry = { fault: { ...spec, remaining: spec.count ?? null } };
    const taken = new Set(spec.numbers);
    for (const n of spec.numbers) {
      const earlier = this.#byNumber.get(n);
      if (earlier?.fault) {
        // The earlier fault keeps its other numbers (and its budget) only.
        const numbers = earlier.fault.numbers.filter((m) => !taken.has(m));
        earlier.fault = numbers.length > 0 ? { ...earlier.fault, numbers } : undefined;
      }
      this.#byNumber.set(n, entry);
    }
    return entry.fault;
  }

  /** Clears the faults of these numbers (with every number that shares one of them). */
  clearNumbers(numbers: readonly string[]): void {
    for (const n of numbers) {
      const entry = this.#byNumber.get(n);
      if (entry) this.#drop(entry);
    }
  }

  /** Forgets an entry under every number that still points at it (a later spec may have taken some). */
  #drop(entry: { fault: ActiveNumberFault | undefined }): void {
    for (const [n, e] of this.#byNumber) if (e === entry) this.#byNumber.delete(n);
  }

  clearAll(): void {
    this.clear();
    this.#byNumber.clear();
  }

  /**
   * Takes the fault for one verification call carrying `number` (undefined when the call carries
   * none), spending one unit of its budget.
   */
  take(number?: string): FaultSpec | null {
    const entry = number === undefined ? undefined : this.#byNumber.get(number);
    if (entry?.fault) {
      const { remaining: _r, numbers: _n, ...spec } = entry.fault;
      entry.fault = spend(entry.fault);
      if (!entry.fault) this.#drop(entry);
      return spec;
    }
    const a = this.#active;
    if (!a) return null;
    this.#active = spend(a) ?? null;
    const { remaining: _r, ...spec } = a;
    return spec;
  }
}
