/**
 * One handler per step kind: each plays its step against the world, HER-SYS or the server and
 * appends what happened to the cell's trace and timeline. A new step kind is one entry here.
 */
import { describeScriptedScans } from '../devices/scripted-scans.js';
import type { PlannedCell, PlannedStep } from '../scenario/plan.js';
import type { ServerEndpoints } from '../stack/types.js';
import { InterruptedError, StepTimeoutError } from './deadline.js';
import type { HerSysControl, IssuedProcessingNumber, PhoneHandle, RunnerDeps } from './deps.js';
import { type ExportListing, fileName } from './export-observer.js';
import type { HerSysUse } from './hersys-lock.js';
import type { TimelineEvent } from './results.js';
import type { TraceEvent } from './trace.js';

/** What a step handler may read and change while its cell runs. */
export interface CellContext {
  readonly cell: PlannedCell;
  readonly deps: RunnerDeps;
  /** The server as this cell's phones reach it (through the fault proxy when the cell scripts faults). */
  readonly server: ServerEndpoints;
  readonly phones: ReadonlyMap<string, PhoneHandle>;
  readonly world: ReturnType<RunnerDeps['createWorld']>;
  readonly trace: TraceEvent[];
  readonly timeline: TimelineEvent[];
  /** Processing numbers issued in this cell, per patient. */
  readonly numbers: Map<string, IssuedProcessingNumber>;
  /** The last number an upload was accepted with (for "reused"). */
  lastUsed?: string;
  /** Faults this cell set, cleared when it ends: the stub-wide HER-SYS fault, and the numbers of its own. */
  hersysFaultSet: boolean;
  hersysNumberFault?: readonly string[];
  serverFaultSet: boolean;
  /** Real now, Unix seconds. */
  now(): number;
  /** Runs one piece of work under the step deadline (or a longer one of its own). */
  step<T>(name: string, work: () => Promise<T>, timeoutMs?: number): Promise<T>;
  /**
   * Runs a step that reaches HER-SYS (issuing a number, uploading) while no other cell's fault or
   * moved clock holds what it uses (hersys-lock.ts); a cell that holds HER-SYS alone runs it at once.
   */
  usingHerSys<T>(use: HerSysUse, work: () => Promise<T>): Promise<T>;
  /** Deadline of the publish step: the step deadline, or --publish-timeout when longer. */
  readonly publishTimeoutMs: number;
  /** Reads list.json and the exports it lists, as an observer. */
  observeExports(): Promise<ExportListing>;
}

type StepOf<K extends PlannedStep['kind']> = Extract<PlannedStep, { kind: K }>;
type Handler<K extends PlannedStep['kind']> = (s: StepOf<K>, ctx: CellContext) => Promise<void>;

const iso = (s: number) => new Date(s * 1000).toISOString();

function mark(
  ctx: CellContext,
  s: PlannedStep,
  kind: TimelineEvent['kind'],
  phones: string[],
  detail: string,
): void {
  ctx.timeline.push({ kind, at: iso(s.atEpochSeconds), label: s.label, phones, detail });
}

const HERSYS_FAULTS: Record<string, (s: StepOf<'fault'>) => Parameters<HerSysControl['setFault']>[0]> = {
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
export function wrongNumber(seed: number, issued?: string): string {
  if (issued) return `${issued.slice(0, 7)}${(Number(issued[7]) + 1) % 10}`;
  return String(seed % 100_000_000).padStart(8, '0');
}

const encounter: Handler<'encounter'> = async (s, ctx) => {
  const evidence = ctx.world.encounter(s.spec);
  ctx.trace.push({ link: 'contact', at: s.atEpochSeconds, label: s.label, evidence });
  mark(
    ctx,
    s,
    'encounter',
    [s.spec.a, s.spec.b],
    s.spec.scripted
      ? `${describeScriptedScans(s.spec.scripted)}, ${s.spec.durationSeconds / 60} min`
      : `${s.spec.distanceM} m, ${s.spec.durationSeconds / 60} min, ${s.spec.environment}`,
  );
};

const diagnose: Handler<'diagnose'> = async (s, ctx) => {
  const patient = { testDate: s.testDate, symptomOnsetDate: s.symptomOnsetDate, testType: s.testType };
  const { deps } = ctx;
  try {
    const issued = await ctx.usingHerSys('issuing', () =>
      ctx.step(`diagnose ${s.patient}`, () =>
        s.via === 'web-screen'
          ? deps.issueViaWebScreen
            ? deps.issueViaWebScreen(patient)
            : Promise.reject(new Error('web-screen issuing is not available in this run'))
          : deps.hersys.registerPatient(patient),
      ),
    );
    ctx.numbers.set(s.patient, issued);
    ctx.trace.push({
      link: 'diagnosis',
      at: s.atEpochSeconds,
      label: s.label,
      patient: s.patient,
      ok: true,
      processingNumber: issued.processingNumber,
      via: s.via,
    });
    mark(
      ctx,
      s,
      'diagnosis',
      [s.patient],
      `test ${s.testDate}${s.symptomOnsetDate ? `, onset ${s.symptomOnsetDate}` : ''}, via ${s.via}`,
    );
  } catch (e) {
    if (e instanceof StepTimeoutError || e instanceof InterruptedError) throw e;
    const error = e instanceof Error ? e.message : String(e);
    ctx.trace.push({
      link: 'diagnosis',
      at: s.atEpochSeconds,
      label: s.label,
      patient: s.patient,
      ok: false,
      via: s.via,
      error,
    });
    mark(ctx, s, 'diagnosis', [s.patient], `failed: ${error}`);
  }
};

/** The number the user types: the issued one, a mistyped one, or the last one used. */
function numberFor(s: StepOf<'upload'>, ctx: CellContext): string {
  const own = ctx.numbers.get(s.who);
  if (s.number === 'wrong') return wrongNumber(ctx.cell.seed, own?.processingNumber);
  if (s.number === 'reused') return ctx.lastUsed ?? own?.processingNumber ?? wrongNumber(ctx.cell.seed);
  return own?.processingNumber ?? wrongNumber(ctx.cell.seed);
}

/** The phone's last upload, when the user was told it could be retried (else why there is no retry). */
function retryReason(s: StepOf<'upload'>, ctx: CellContext): string | undefined {
  const last = ctx.trace.findLast(
    (e): e is Extract<TraceEvent, { link: 'upload' }> => e.link === 'upload' && e.who === s.who,
  );
  if (!last) return 'no earlier upload to retry';
  if (last.evidence.outcome === 'retryable') return undefined;
  return `the app said "${last.evidence.appMessage}" (${last.evidence.outcome}): the user does not retry`;
}

const upload: Handler<'upload'> = (s, ctx) => ctx.usingHerSys('verifying', () => uploadNow(s, ctx));

const uploadNow: Handler<'upload'> = async (s, ctx) => {
  const { deps } = ctx;
  const phone = ctx.phones.get(s.who) as PhoneHandle;
  // A user retries only after "try again later"; told the number is wrong, she stops (or gets a new one).
  const noRetry = s.retry === 'if-retryable' ? retryReason(s, ctx) : undefined;
  if (noRetry !== undefined) {
    mark(ctx, s, 'upload', [s.who], `not retried: ${noRetry}`);
    return;
  }
  const own = ctx.numbers.get(s.who);
  const number = numberFor(s, ctx);
  let restoreClock: number | undefined;
  if (s.number === 'revoked')
    await ctx.step('revoke number', () => deps.hersys.revoke({ processingNumber: number }));
  if (s.number === 'expired') {
    // Move the stub's clock past the number's expiry (this cell holds HER-SYS and its clock alone
    // meanwhile: exclusiveSpan).
    const clock = await ctx.step('read HER-SYS clock', () => deps.hersys.clock());
    const expires = own?.expiresAt ? Date.parse(own.expiresAt) : Date.parse(clock.now) + 73 * 3600_000;
    restoreClock = clock.offsetMs;
    await ctx.step('advance HER-SYS clock', () =>
      deps.hersys.setClockOffset(clock.offsetMs + (expires - Date.parse(clock.now)) + 3600_000),
    );
  }
  const dx = ctx.cell.steps.find(
    (x): x is StepOf<'diagnose'> => x.kind === 'diagnose' && x.patient === s.who,
  );
  try {
    const evidence = await ctx.step(`upload ${s.who}`, () =>
      phone.uploadDiagnosis({
        processingNumber: number,
        nowEpochSeconds: ctx.now(),
        server: ctx.server,
        ...(dx
          ? { diagnosisDate: dx.symptomOnsetDate ?? dx.testDate, hasSymptom: dx.symptomOnsetDate !== null }
          : {}),
      }),
    );
    if (evidence.ok) ctx.lastUsed = number;
    ctx.trace.push({ link: 'upload', at: ctx.now(), label: s.label, who: s.who, number: s.number, evidence });
    mark(
      ctx,
      s,
      'upload',
      [s.who],
      `${s.retry ? 'retry, ' : ''}${s.number === 'issued' ? '' : `${s.number} number, `}HTTP ${evidence.httpStatus ?? 'none'} (${evidence.outcome}), ${evidence.keysSubmitted} keys`,
    );
  } finally {
    if (restoreClock !== undefined)
      await ctx.step('restore HER-SYS clock', () => deps.hersys.setClockOffset(restoreClock as number));
  }
};

const publish: Handler<'publish'> = async (s, ctx) => {
  // A deployed server's batch may take up to --publish-timeout, longer than an ordinary step.
  const outcome = await ctx.step('publish', () => ctx.deps.stack.publish(), ctx.publishTimeoutMs);
  ctx.trace.push({ link: 'publish', at: ctx.now(), label: s.label, outcome });
  mark(ctx, s, 'publish', [], outcome.detail);
};

const check: Handler<'check'> = async (s, ctx) => {
  const phone = ctx.phones.get(s.who) as PhoneHandle;
  // What the server listed when the phone looked: the publish link is judged on it. Other cells may
  // publish meanwhile, so it is what was listed just before the check plus what the phone itself
  // fetched then (read again afterwards to name those files' keys).
  const before = await ctx.step('read list.json and exports', () => ctx.observeExports());
  const evidence = await ctx.step(`check ${s.who}`, () =>
    phone.detectExposures({ nowEpochSeconds: ctx.now(), server: ctx.server, forced: s.forced }),
  );
  const fetched = new Set(evidence.download.files.map((f) => fileName(f.url)));
  const listing =
    fetched.size === 0 ? before : await ctx.step('read list.json and exports', () => ctx.observeExports());
  const listedBefore = new Set(before.files.map((f) => f.file));
  ctx.trace.push({
    link: 'listing',
    at: s.atEpochSeconds,
    label: s.label,
    before: s.who,
    listing: {
      ...listing,
      files: listing.files.filter((f) => listedBefore.has(f.file) || fetched.has(f.file)),
    },
  });
  ctx.trace.push({
    link: 'detection',
    at: s.atEpochSeconds,
    label: s.label,
    who: s.who,
    forced: s.forced,
    evidence,
  });
  mark(
    ctx,
    s,
    'check',
    [s.who],
    evidence.ran
      ? `${evidence.download.filesFetched} file(s), ${evidence.match.matchedKeyCount} matched, ${evidence.notify.notified ? 'notified' : 'not notified'}`
      : `did not run: ${evidence.notRunReason ?? ''}`,
  );
};

/**
 * Every number this cell's phones may enter from now on: each issued number, that number mistyped,
 * and the number typed without one issued (numberFor). A fault scoped to the cell is set for these:
 * no number is issued after it (herSysFaultScope).
 */
export function cellNumbers(ctx: Pick<CellContext, 'numbers' | 'cell'>): string[] {
  const issued = [...ctx.numbers.values()].map((n) => n.processingNumber);
  const all = [...issued, ...issued.map((n) => wrongNumber(ctx.cell.seed, n)), wrongNumber(ctx.cell.seed)];
  return [...new Set(all)];
}

const hersysFault: Handler<'fault'> = async (s, ctx) => {
  const { hersys } = ctx.deps;
  const own = s.scope === 'cell';
  if (s.fault === 'clear' && own) {
    const numbers = ctx.hersysNumberFault;
    if (numbers) await ctx.step('clear HER-SYS fault', () => hersys.clearNumberFaults(numbers));
    ctx.hersysNumberFault = undefined;
  } else if (s.fault === 'clear') {
    await ctx.step('clear HER-SYS fault', () => hersys.clearFault());
    ctx.hersysFaultSet = false;
  } else {
    const spec = {
      ...(HERSYS_FAULTS[s.fault] as (x: typeof s) => Parameters<HerSysControl['setFault']>[0])(s),
      ...(s.calls ? { count: s.calls } : {}),
    };
    if (own) {
      const numbers = cellNumbers(ctx);
      await ctx.step(`HER-SYS fault ${s.fault}`, () => hersys.setNumberFault({ ...spec, numbers }));
      ctx.hersysNumberFault = numbers;
    } else {
      await ctx.step(`HER-SYS fault ${s.fault}`, () => hersys.setFault(spec));
      ctx.hersysFaultSet = true;
    }
  }
  ctx.trace.push({ link: 'fault', at: s.atEpochSeconds, label: s.label, detail: s.fault });
  const calls = s.calls ? ` for the next ${s.calls} call(s)` : '';
  mark(ctx, s, 'fault', [], `HER-SYS ${s.fault}${calls}${own ? " with this cell's numbers" : ''}`);
};

const serverFault: Handler<'server-fault'> = async (s, ctx) => {
  const faults = ctx.deps.serverFaults;
  if (!faults) throw new Error('server faults need the fault proxy, which this run does not have');
  if (s.fault === 'clear') faults.clearFault(ctx.cell.id);
  else
    faults.setFault(ctx.cell.id, {
      mode: s.fault,
      ...(s.calls ? { calls: s.calls } : {}),
      ...(s.latencyMs !== undefined ? { latencyMs: s.latencyMs } : {}),
    });
  ctx.serverFaultSet = s.fault !== 'clear';
  const detail = `server ${s.fault}${s.calls ? ` for the next ${s.calls} call(s)` : ''}`;
  ctx.trace.push({ link: 'fault', at: s.atEpochSeconds, label: s.label, detail });
  mark(ctx, s, 'fault', [], detail);
};

export const STEP_HANDLERS: { readonly [K in PlannedStep['kind']]: Handler<K> } = {
  encounter,
  diagnose,
  upload,
  publish,
  check,
  fault: hersysFault,
  'server-fault': serverFault,
};

/** Plays one step with the handler of its kind. */
export function playStep(s: PlannedStep, ctx: CellContext): Promise<void> {
  return (STEP_HANDLERS[s.kind] as Handler<typeof s.kind>)(s as never, ctx);
}
