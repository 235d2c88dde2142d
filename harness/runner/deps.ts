/**
 * What the runner needs from the other parts, as structural interfaces: the phones' World
 * (harness/devices), a started stack (harness/stack) and the HER-SYS control client (stubs/hersys).
 * The CLI wires the real ones; unit tests pass fakes.
 */

import type { ModelDraw } from '../devices/framework/types.js';
import type {
  ContactEvidence,
  DetectionEvidence,
  DetectionRequest,
  DeviceProfile,
  EncounterSpec,
  UploadEvidence,
  UploadRequest,
} from '../devices/types.js';
import type { ServerFault } from '../scenario/plan.js';
import type { StartedStack } from '../stack/types.js';
import type { ExportListing } from './export-observer.js';

export interface PhoneHandle {
  uploadDiagnosis(req: UploadRequest): Promise<UploadEvidence>;
  detectExposures(req: DetectionRequest): Promise<DetectionEvidence>;
  /** Counts list.json entries up to `created` (ms) as already processed before the scenario. */
  markProcessedUpTo?(region: string, created: number): void;
}

export interface WorldHandle {
  addPhone(profile: DeviceProfile): PhoneHandle;
  encounter(spec: EncounterSpec): ContactEvidence;
  /** Ends the phones' app sessions at the end of the cell. */
  close?(): Promise<void>;
  /** The seed's draws this world made that could move a verdict (radio noise, window order). */
  modelDraws?(): readonly ModelDraw[];
}

export interface IssuedProcessingNumber {
  readonly processingNumber: string;
  readonly patientId?: string;
  readonly expiresAt?: string;
}

/** The slice of HerSysControlClient (stubs/hersys/client.ts) the runner uses. */
export interface HerSysControl {
  registerPatient(req: {
    testDate?: string;
    symptomOnsetDate?: string | null;
    testType?: 'PCR' | 'antigen';
  }): Promise<IssuedProcessingNumber>;
  revoke(key: { processingNumber: string }): Promise<unknown>;
  setFault(spec: { mode: string; latencyMs?: number; status?: number; count?: number }): Promise<unknown>;
  clearFault(): Promise<void>;
  /** A fault for the calls carrying one of `numbers` only (a cell's own numbers). */
  setNumberFault(spec: {
    mode: string;
    latencyMs?: number;
    status?: number;
    count?: number;
    numbers: readonly string[];
  }): Promise<unknown>;
  clearNumberFaults(numbers: readonly string[]): Promise<void>;
  clock(): Promise<{ offsetMs: number; now: string }>;
  setClockOffset(offsetMs: number): Promise<unknown>;
}

/** The fault proxy's controls (harness/faults/server-proxy.ts), scoped per cell. */
export interface ServerFaultControl {
  endpoints(server: StartedStack['server'], scope: string): StartedStack['server'];
  setFault(
    scope: string,
    spec: { mode: Exclude<ServerFault, 'clear'>; calls?: number; latencyMs?: number },
  ): void;
  clearFault(scope: string): void;
}

export interface RunnerDeps {
  readonly stack: StartedStack;
  createWorld(seed: number): WorldHandle;
  hersys: HerSysControl;
  /** Issues a number through the 保健所 web screen (Playwright); absent → such steps fail the cell. */
  issueViaWebScreen?(patient: {
    testDate?: string;
    symptomOnsetDate?: string | null;
    testType?: 'PCR' | 'antigen';
  }): Promise<IssuedProcessingNumber>;
  /** Phones reach the server through it when present; absent → server-fault steps fail the cell. */
  serverFaults?: ServerFaultControl;
  /** Releases what the deps started on demand (the shared browser); the stack is stopped apart. */
  dispose?(): Promise<void>;
  /** Real now in Unix seconds (injected for tests). */
  now?(): number;
  /** Reads what the server lists (injected for tests; default: export-observer.ts over HTTP). */
  observeExports?(server: StartedStack['server'], nowEpochSeconds: number): Promise<ExportListing>;
}

export interface DeadlineOptions {
  /** Deadline of every single step, ms. */
  readonly stepTimeoutMs: number;
  /** Deadline of a publish step when longer (a url target may poll list.json for 60 s), ms. */
  readonly publishTimeoutMs?: number;
}
