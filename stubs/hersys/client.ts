import type {
  ActiveFault,
  ActiveNumberFault,
  CallRecord,
  FaultSpec,
  IssuedNumber,
  NumberFaultSpec,
  Patient,
  RegisterPatientRequest,
  RegisterPatientResponse,
} from './types.js';

/** A control call the stub refused; `reason` is the stub's own explanation. */
export class HerSysControlError extends Error {
  readonly code = 'HERSYS_CONTROL_FAILED';
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly endpoint: string,
  ) {
    super(`HER-SYS stub control ${endpoint} failed: ${status} ${reason}`);
  }
}

/** What the client sends its calls with: global fetch fits, and so does a leaner HTTP client. */
export type ControlTransport = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  readonly status: number;
  readonly ok: boolean;
  readonly statusText?: string;
  text(): Promise<string>;
}>;

/** Typed client of the stub's control interface (`/control/*`, Bearer token). */
export class HerSysControlClient {
  readonly #base: string;

  constructor(
    baseUrl: string,
    readonly token: string,
    /** Defaults to the global fetch as it is at call time (so msw's in-process interception applies). */
    readonly fetchImpl: ControlTransport = (url, init) => globalThis.fetch(url, init),
  ) {
    this.#base = baseUrl.replace(/\/+$/, '');
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const endpoint = `${method} ${path}`;
    const res = await this.fetchImpl(`${this.#base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HerSysControlError(res.status, `answer is not JSON: ${text.slice(0, 80)}`, endpoint);
    }
    if (!res.ok) {
      const reason = (json as { reason?: string }).reason ?? res.statusText ?? '';
      throw new HerSysControlError(res.status, reason, endpoint);
    }
    return json as T;
  }

  /** Registers a positive patient and issues a processing number. */
  registerPatient(req: RegisterPatientRequest = {}): Promise<RegisterPatientResponse> {
    return this.#call('POST', '/control/patients', req);
  }

  /** Every issued number and its patient, read page by page. */
  async numbers(): Promise<{ numbers: IssuedNumber[]; patients: Patient[] }> {
    const pages = await this.#allPages<{ numbers: IssuedNumber[]; patients: Patient[] }>('/control/numbers');
    return { numbers: pages.flatMap((p) => p.numbers), patients: pages.flatMap((p) => p.patients) };
  }

  /** Every page of a paged control listing (stubs/hersys/paging.ts), in order. */
  async #allPages<T>(path: string): Promise<T[]> {
    const pages: T[] = [];
    for (let after: number | null = 0; after !== null; ) {
      const page: T & { next: number | null } = await this.#call('GET', `${path}?after=${after}`);
      pages.push(page);
      after = page.next;
    }
    return pages;
  }

  revoke(key: { processingNumber: string } | { patientId: string }): Promise<IssuedNumber> {
    return this.#call('POST', '/control/revoke', key);
  }

  /** The verification calls the stub still keeps (its newest CALL_LOG_SIZE), oldest first. */
  async calls(): Promise<CallRecord[]> {
    return (await this.#allPages<{ calls: CallRecord[] }>('/control/calls')).flatMap((p) => p.calls);
  }

  async setFault(spec: FaultSpec): Promise<ActiveFault> {
    return (await this.#call<{ fault: ActiveFault }>('PUT', '/control/faults', spec)).fault;
  }

  async fault(): Promise<ActiveFault | null> {
    return (await this.#call<{ fault: ActiveFault | null }>('GET', '/control/faults')).fault;
  }

  async clearFault(): Promise<void> {
    await this.#call('DELETE', '/control/faults');
  }

  /** Sets a fault for the verification calls carrying one of `spec.numbers` only (shown masked). */
  async setNumberFault(spec: NumberFaultSpec): Promise<ActiveNumberFault> {
    return (await this.#call<{ fault: ActiveNumberFault }>('PUT', '/control/faults/by-number', spec)).fault;
  }

  /** The faults set by number (their numbers masked). */
  async numberFaults(): Promise<ActiveNumberFault[]> {
    return (await this.#allPages<{ faults: ActiveNumberFault[] }>('/control/faults/by-number')).flatMap(
      (p) => p.faults,
    );
  }

  async clearNumberFaults(numbers: readonly string[]): Promise<void> {
    const query = new URLSearchParams({ numbers: numbers.join(',') });
    await this.#call('DELETE', `/control/faults/by-number?${query}`);
  }

  /** Sets the stub clock's offset from real time (e.g. 73 h to expire a 72 h number). */
  setClockOffset(offsetMs: number): Promise<{ offsetMs: number; now: string }> {
    return this.#call('PUT', '/control/clock', { offsetMs });
  }

  advanceClock(advanceMs: number): Promise<{ offsetMs: number; now: string }> {
    return this.#call('PUT', '/control/clock', { advanceMs });
  }

  clock(): Promise<{ offsetMs: number; now: string }> {
    return this.#call('GET', '/control/clock');
  }

  /** Forgets patients, numbers, calls, faults and clock offset; numbers restart from the seed. */
  async reset(): Promise<void> {
    await this.#call('POST', '/control/reset');
  }
}
