import { randomBytes } from 'node:crypto';
import { StubClock } from './clock.js';
import { FaultBox } from './faults.js';
import { DEFAULT_VALIDITY_HOURS, HerSysRegistry } from './registry.js';
import { Ring } from './ring.js';
import type { CallRecord, FaultSpec } from './types.js';

export interface HerSysConfig {
  /** Seed of the synthetic registry (patients, numbers). Default 1. */
  readonly seed?: number;
  /** Bearer token of the control interface; random when omitted. */
  readonly controlToken?: string;
  /** Validity window of a number; default 72 h (UNVERIFIED: cocoa.md §2). */
  readonly validityHours?: number;
  /** JSON member carrying the number (`VerificationPayloadParameterName`, cocoa.md §2); default "processingNumber". */
  readonly parameterName?: string;
  /** Path of the verification endpoint; default "/api/verify". */
  readonly verifyPath?: string;
  /** When set, verification requires `Ocp-Apim-Subscription-Key` with this value (else 401). */
  readonly subscriptionKey?: string;
  /** Verification calls kept in the call log; default CALL_LOG_SIZE. */
  readonly callLogSize?: number;
  /** Log lines kept; default LOG_LINES. */
  readonly logLines?: number;
  /** Unix ms of the clock the stub runs on (the run's clock, shared with the server and phones). */
  readonly clock?: () => number;
}

/**
 * How the transport realises the 'down' fault: 'refuse-port' really closes the listening port (HTTP
 * adapter); 'network-error' answers each call with a network error (in-process, where calls can be counted).
 */
export type DownStyle = 'refuse-port' | 'network-error';

/** Verification calls the call log keeps (the newest; older ones are counted as dropped). */
export const CALL_LOG_SIZE = 10_000;
/** Log lines kept (the newest; older ones are counted as dropped). */
export const LOG_LINES = 10_000;

type DownListener = (down: boolean, spec: FaultSpec | null) => void;

/** Everything the handlers read and change. One per stub; transports share it. */
export class HerSysState {
  readonly seed: number;
  readonly controlToken: string;
  readonly parameterName: string;
  readonly verifyPath: string;
  readonly subscriptionKey: string | undefined;
  readonly clock: StubClock;
  readonly registry: HerSysRegistry;
  readonly faults = new FaultBox();
  /** The newest CALL_LOG_SIZE verification calls; a call's `seq` is its number in the ring. */
  readonly calls: Ring<CallRecord>;
  readonly #logs: Ring<string>;
  readonly #held = new Set<() => void>();
  readonly #downListeners = new Set<DownListener>();
  downStyle: DownStyle = 'network-error';
  #downTimer: NodeJS.Timeout | undefined;

  constructor(config: HerSysConfig = {}) {
    this.seed = config.seed ?? 1;
    this.clock = new StubClock(config.clock);
    this.controlToken = config.controlToken ?? randomBytes(18).toString('base64url');
    this.parameterName = config.parameterName ?? 'processingNumber';
    this.verifyPath = config.verifyPath ?? '/api/verify';
    this.subscriptionKey = config.subscriptionKey;
    this.calls = new Ring(config.callLogSize ?? CALL_LOG_SIZE);
    this.#logs = new Ring(config.logLines ?? LOG_LINES);
    this.registry = new HerSysRegistry(this.seed, this.clock, config.validityHours ?? DEFAULT_VALIDITY_HOURS);
  }

  /** Records a verification call under the next `seq` and returns the record (filled in as it is answered). */
  recordCall(call: Omit<CallRecord, 'seq'>): CallRecord {
    const record: CallRecord = { seq: this.calls.total + 1, ...call };
    this.calls.push(record);
    return record;
  }

  /** Appends a log line. Callers pass masked numbers only (mask.ts). */
  log(line: string): void {
    this.#logs.push(`${new Date().toISOString()} hersys ${line}`);
  }

  /** The log lines kept, oldest first. */
  logs(): string[] {
    return this.#logs.toArray();
  }

  /**
   * The lines logged after `cursor` (0 at first, then the `next` returned), oldest first, and how many
   * of those were dropped unread (the ring moved on).
   */
  logsAfter(cursor: number): { lines: string[]; next: number; missed: number } {
    const { items, last } = this.#logs.after(cursor);
    return { lines: items, next: last, missed: Math.max(0, last - cursor - items.length) };
  }

  /** Parks a request (timeout fault) until released or the client gives up. */
  hold(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const release = () => {
        this.#held.delete(release);
        resolve();
      };
      this.#held.add(release);
      if (signal?.aborted) release();
      signal?.addEventListener('abort', release, { once: true });
    });
  }

  get heldCount(): number {
    return this.#held.size;
  }

  /** Lets every held request go (they answer with a network error). Called on stop and reset. */
  releaseHeld(): void {
    for (const release of [...this.#held]) release();
  }

  onDownChange(listener: DownListener): () => void {
    this.#downListeners.add(listener);
    return () => this.#downListeners.delete(listener);
  }

  setFault(spec: FaultSpec): void {
    const wasDown = this.faults.active?.mode === 'down';
    clearTimeout(this.#downTimer);
    const active = this.faults.set(spec);
    if (spec.mode === 'down') {
      this.#emitDown(true, spec);
      if (spec.forMs !== undefined) {
        this.#downTimer = setTimeout(() => {
          if (this.faults.active === active) this.clearFault();
        }, spec.forMs);
        this.#downTimer.unref();
      }
    } else if (wasDown) this.#emitDown(false, null);
  }

  clearFault(): void {
    clearTimeout(this.#downTimer);
    const wasDown = this.faults.active?.mode === 'down';
    this.faults.clear();
    if (wasDown) this.#emitDown(false, null);
  }

  /** Clears registry, calls, faults and clock; the registry restarts from its seed. */
  reset(): void {
    this.clearFault();
    this.faults.clearAll();
    this.releaseHeld();
    this.registry.reset();
    this.calls.clear();
    this.clock.setOffset(0);
  }

  /** Stops timers and releases held requests; the state stays readable. */
  dispose(): void {
    clearTimeout(this.#downTimer);
    this.releaseHeld();
  }

  #emitDown(down: boolean, spec: FaultSpec | null): void {
    this.log(
      down
        ? `fault down: stops accepting${spec?.forMs !== undefined ? ` for ${spec.forMs} ms` : ''}`
        : 'fault down cleared: accepting again',
    );
    for (const l of this.#downListeners) l(down, spec);
  }
}
