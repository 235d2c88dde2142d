import { type ActiveFault, FAULT_MODES, type FaultMode, type FaultSpec } from './types.js';

export class FaultSpecError extends Error {
  readonly code = 'HERSYS_BAD_FAULT';
}

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Upper bounds of fault values: larger ones are typing mistakes that would wedge the stub (timers overflow). */
export const FAULT_LIMITS = { latencyMs: 600_000, forMs: 3_600_000, count: 1_000_000 } as const;

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

/** The current fault and its remaining budget. */
export class FaultBox {
  #active: ActiveFault | null = null;

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

  /** Takes the fault for one verification call, spending one unit of its budget. */
  take(): FaultSpec | null {
    const a = this.#active;
    if (!a) return null;
    if (a.remaining !== null) {
      const remaining = a.remaining - 1;
      this.#active = remaining > 0 ? { ...a, remaining } : null;
    }
    const { remaining: _r, ...spec } = a;
    return spec;
  }
}
