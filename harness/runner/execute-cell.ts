/**
 * Executes one matrix cell: a fresh World (the cell's own seed, so its keys never collide with
 * another cell's), its phones, and the steps in timeline order against the shared stack. Contacts
 * happen on the phones' simulated clock; uploads, publishes and checks at real now.
 */

import { describeScriptedScans } from '../devices/scripted-scans.js';
import type { PlannedCell, PlannedStep } from '../scenario/plan.js';
import type { ServerEndpoints } from '../stack/types.js';
import { InterruptedError, StepTimeoutError, withDeadline } from './deadline.js';
import type {
  DeadlineOptions,
  HerSysControl,
  IssuedProcessingNumber,
  PhoneHandle,
  RunnerDeps,
} from './deps.js';
import { phoneChain } from './evaluate.js';
import type { CellResult, CellStatus, PhoneChain, TimelineEvent } from './results.js';
import type { Trace, TraceEvent } from './trace.js';

export interface CellRun {
  readonly result: CellResult;
  readonly trace: Trace;
}

const FAULTS: Record<
  string,
  (s: PlannedStep & { kind: 'fault' }) => Parameters<HerSysControl['setFault']>[0]
> = {
  latency: (s) => ({ mode: 'latency', latencyMs: s.latencyMs ?? 500 }),
  timeout: () => ({ mode: 'timeout' }),
  '5xx': () => ({ mode: 'status', status: 503 }),
  '429': () => ({ mode: 'status', status: 429 }),
  malformed: () => ({ mode: 'malformed-body' }),
  down: () => ({ mode: 'down' }),
};

/**
 * A wrong number as a user mistypes it: the issued number with its last digit changed, or 8 digits
 * from the cell seed when none was issued. (Another cell's number could coincide: odds ~1e-8 per number.)
 */
function wrongNumber(seed: number, issued?: string): string {
  if (issued) return `${issued.slice(0, 7)}${(Number(issued[7]) + 1) % 10}`;
  return String(seed % 100_000_000).padStart(8, '0');
}

const iso = (s: number) => new Date(s * 1000).toISOString();

/** The newest `created` (ms) in the server's list.json; 0 when it lists nothing or is absent. */
async function newestListEntry(server: ServerEndpoints): Promise<number> {
  const base = server.cdnUrlBase.endsWith('/') ? server.cdnUrlBase : `${server.cdnUrlBase}/`;
  try {
    const res = await fetch(`${base}${server.blobContainer}/${server.region}/list.json`);
    const list = res.ok ? ((await res.json()) as { created?: number }[]) : [];
    return Array.isArray(list) ? list.reduce((m, e) => Math.max(m, Number(e.created) || 0), 0) : 0;
  } catch {
    return 0; // nothing known to be processed: the phone's first check downloads everything
  }
}

export async function executeCell(
  cell: PlannedCell,
  deps: RunnerDeps & DeadlineOptions,
  signal?: AbortSignal,
): Promise<CellRun> {
  const started = performance.now();
  const now = () => deps.now?.() ?? Math.floor(Date.now() / 1000);
  const trace: TraceEvent[] = [];
  const timeline: TimelineEvent[] = [];
  const errors: string[] = [];
  let status: CellStatus = 'passed';
  const world = deps.createWorld(cell.seed);
  const phones = new Map<string, PhoneHandle>();
  for (const p of cell.phones) phones.set(p.id, world.addPhone(p));
  const numbers = new Map<string, IssuedProcessingNumber>();
  let lastUsed: string | undefined;
  const step = <T>(name: string, work: () => Promise<T>) =>
    withDeadline(`${cell.id} ${name}`, deps.stepTimeoutMs, work, signal);
  // A cell that scripts server faults reaches the server through the fault proxy, by a path of its
  // own, so its faults stay its own; the others talk to the server directly.
  const faulty = cell.steps.some((s) => s.kind === 'server-fault');
  const server =
    (faulty ? deps.serverFaults?.endpoints(deps.stack.server, cell.id) : undefined) ?? deps.stack.server;
  let faultSet = false;
  let serverFaultSet = false;

  try {
    // Phones enter the cell in steady state: what was published before the scenario began (by
    // other cells on the shared server) they processed long ago, as a phone that has been running
    // would have. Files published from now on are all downloaded and verified.
    const bookkeeping = [...phones.values()].some((p) => p.markProcessedUpTo);
    if (bookkeeping && cell.steps.some((s) => s.kind === 'check')) {
      const created = await step('read list.json', () => newestListEntry(server));
      for (const phone of phones.values()) phone.markProcessedUpTo?.(server.region, created);
    }
    for (const s of cell.steps) {
      const mark = (kind: TimelineEvent['kind'], phs: string[], detail: string) =>
        timeline.push({ kind, at: iso(s.atEpochSeconds), label: s.label, phones: phs, detail });
      switch (s.kind) {
        case 'encounter': {
          const evidence = world.encounter(s.spec);
          trace.push({ link: 'contact', at: s.atEpochSeconds, label: s.label, evidence });
          mark(
            'encounter',
            [s.spec.a, s.spec.b],
            s.spec.scripted
              ? `${describeScriptedScans(s.spec.scripted)}, ${s.spec.durationSeconds / 60} min`
              : `${s.spec.distanceM} m, ${s.spec.durationSeconds / 60} min, ${s.spec.environment}`,
          );
          break;
        }
        case 'diagnose': {
          const patient = {
            testDate: s.testDate,
            symptomOnsetDate: s.symptomOnsetDate,
            testType: s.testType,
          };
          try {
            const issued = await step(`diagnose ${s.patient}`, () =>
              s.via === 'web-screen'
                ? deps.issueViaWebScreen
                  ? deps.issueViaWebScreen(patient)
                  : Promise.reject(new Error('web-screen issuing is not available in this run'))
                : deps.hersys.registerPatient(patient),
            );
            numbers.set(s.patient, issued);
            trace.push({
              link: 'diagnosis',
              at: s.atEpochSeconds,
              label: s.label,
              patient: s.patient,
              ok: true,
              processingNumber: issued.processingNumber,
              via: s.via,
            });
            mark(
              'diagnosis',
              [s.patient],
              `test ${s.testDate}${s.symptomOnsetDate ? `, onset ${s.symptomOnsetDate}` : ''}, via ${s.via}`,
            );
          } catch (e) {
            if (e instanceof StepTimeoutError || e instanceof InterruptedError) throw e;
            const error = e instanceof Error ? e.message : String(e);
            trace.push({
              link: 'diagnosis',
              at: s.atEpochSeconds,
              label: s.label,
              patient: s.patient,
              ok: false,
              via: s.via,
              error,
            });
            mark('diagnosis', [s.patient], `failed: ${error}`);
          }
          break;
        }
        case 'upload': {
          const phone = phones.get(s.who) as PhoneHandle;
          const own = numbers.get(s.who);
          let number: string;
          let restoreClock: number | undefined;
          if (s.number === 'wrong') number = wrongNumber(cell.seed, own?.processingNumber);
          else if (s.number === 'reused')
            number = lastUsed ?? own?.processingNumber ?? wrongNumber(cell.seed);
          else number = own?.processingNumber ?? wrongNumber(cell.seed);
          if (s.number === 'revoked')
            await step('revoke number', () => deps.hersys.revoke({ processingNumber: number }));
          if (s.number === 'expired') {
            // Move the stub's clock past the number's expiry (the cell runs alone: exclusive).
            const clock = await step('read HER-SYS clock', () => deps.hersys.clock());
            const expires = own?.expiresAt
              ? Date.parse(own.expiresAt)
              : Date.parse(clock.now) + 73 * 3600_000;
            restoreClock = clock.offsetMs;
            await step('advance HER-SYS clock', () =>
              deps.hersys.setClockOffset(clock.offsetMs + (expires - Date.parse(clock.now)) + 3600_000),
            );
          }
          const dx = cell.steps.find(
            (x): x is PlannedStep & { kind: 'diagnose' } => x.kind === 'diagnose' && x.patient === s.who,
          );
          try {
            const evidence = await step(`upload ${s.who}`, () =>
              phone.uploadDiagnosis({
                processingNumber: number,
                nowEpochSeconds: now(),
                server,
                ...(dx
                  ? {
                      diagnosisDate: dx.symptomOnsetDate ?? dx.testDate,
                      hasSymptom: dx.symptomOnsetDate !== null,
                    }
                  : {}),
              }),
            );
            if (evidence.ok) lastUsed = number;
            trace.push({ link: 'upload', at: now(), label: s.label, who: s.who, number: s.number, evidence });
            mark(
              'upload',
              [s.who],
              `${s.number === 'issued' ? '' : `${s.number} number, `}HTTP ${evidence.httpStatus ?? 'none'}, ${evidence.keysSubmitted} keys`,
            );
          } finally {
            if (restoreClock !== undefined)
              await step('restore HER-SYS clock', () => deps.hersys.setClockOffset(restoreClock as number));
          }
          break;
        }
        case 'publish': {
          const outcome = await withDeadline(
            `${cell.id} publish`,
            Math.max(deps.stepTimeoutMs, deps.publishTimeoutMs ?? 0),
            () => deps.stack.publish(),
            signal,
          );
          trace.push({ link: 'publish', at: now(), label: s.label, outcome });
          mark('publish', [], outcome.detail);
          break;
        }
        case 'check': {
          const phone = phones.get(s.who) as PhoneHandle;
          const evidence = await step(`check ${s.who}`, () =>
            phone.detectExposures({ nowEpochSeconds: now(), server, forced: s.forced }),
          );
          trace.push({
            link: 'detection',
            at: s.atEpochSeconds,
            label: s.label,
            who: s.who,
            forced: s.forced,
            evidence,
          });
          mark(
            'check',
            [s.who],
            evidence.ran
              ? `${evidence.match.matchedKeyCount} matched, ${evidence.notify.notified ? 'notified' : 'not notified'}`
              : `did not run: ${evidence.notRunReason ?? ''}`,
          );
          break;
        }
        case 'fault': {
          if (s.fault === 'clear') {
            await step('clear HER-SYS fault', () => deps.hersys.clearFault());
            faultSet = false;
          } else {
            const spec = (FAULTS[s.fault] as (x: typeof s) => Parameters<HerSysControl['setFault']>[0])(s);
            await step(`HER-SYS fault ${s.fault}`, () =>
              deps.hersys.setFault({ ...spec, ...(s.calls ? { count: s.calls } : {}) }),
            );
            faultSet = true;
          }
          trace.push({ link: 'fault', at: s.atEpochSeconds, label: s.label, detail: s.fault });
          mark('fault', [], `HER-SYS ${s.fault}${s.calls ? ` for the next ${s.calls} call(s)` : ''}`);
          break;
        }
        case 'server-fault': {
          const faults = deps.serverFaults;
          if (!faults) throw new Error('server faults need the fault proxy, which this run does not have');
          if (s.fault === 'clear') faults.clearFault(cell.id);
          else
            faults.setFault(cell.id, {
              mode: s.fault,
              ...(s.calls ? { calls: s.calls } : {}),
              ...(s.latencyMs !== undefined ? { latencyMs: s.latencyMs } : {}),
            });
          serverFaultSet = s.fault !== 'clear';
          const detail = `server ${s.fault}${s.calls ? ` for the next ${s.calls} call(s)` : ''}`;
          trace.push({ link: 'fault', at: s.atEpochSeconds, label: s.label, detail });
          mark('fault', [], detail);
          break;
        }
      }
    }
  } catch (e) {
    if (e instanceof InterruptedError) throw e;
    status = e instanceof StepTimeoutError ? 'timedout' : 'error';
    errors.push(e instanceof Error ? e.message : String(e));
  } finally {
    if (serverFaultSet) deps.serverFaults?.clearFault(cell.id);
    if (faultSet)
      await withDeadline('clear HER-SYS fault', deps.stepTimeoutMs, () => deps.hersys.clearFault()).catch(
        () => undefined,
      );
  }

  const chains: PhoneChain[] = cell.expectations.map((exp) => {
    const profile = cell.phones.find((p) => p.id === exp.phone);
    if (!profile) throw new Error(`expectation names unknown phone ${exp.phone}`);
    return phoneChain(trace, profile, exp);
  });
  for (const c of chains) {
    const broken = c.links.find((l) => l.status === 'failed');
    if (broken)
      errors.push(
        `${c.phone} (${c.platform}, ${c.app}): expected ${c.expectedNotified ? 'a notification' : 'no notification'}; ${broken.name} broke: ${broken.detail}`,
      );
  }
  if (status === 'passed' && chains.some((c) => c.firstBrokenLink !== null)) status = 'failed';
  const first = chains[0];
  return {
    trace,
    result: {
      id: cell.id,
      matrix: cell.matrix,
      platform: cell.platform,
      app: cell.app,
      status,
      links: first?.links ?? [],
      firstBrokenLink: first?.firstBrokenLink ?? null,
      phones: chains,
      timeline,
      errors,
      durationMs: Math.round(performance.now() - started),
      seed: cell.seed,
    },
  };
}
