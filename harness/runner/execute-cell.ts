/**
 * Executes one matrix cell: a fresh World (the cell's own seed, so its keys never collide with
 * another cell's), its phones, and the steps in timeline order against the shared stack. Contacts
 * happen on the phones' simulated clock; uploads, publishes and checks at real now.
 */

import type { PlannedCell, PlannedStep } from '../scenario/plan.js';
import { httpRequest } from '../stack/http-client.js';
import type { ServerEndpoints } from '../stack/types.js';
import { moveClockTo, runNow } from './clock.js';
import { InterruptedError, StepTimeoutError, withDeadline } from './deadline.js';
import type { DeadlineOptions, PhoneHandle, RunnerDeps } from './deps.js';
import { phoneChain } from './evaluate.js';
import { exportObserver } from './export-observer.js';
import { exclusiveSpan, type HerSysAccess, UNSHARED } from './hersys-lock.js';
import type { CellResult, CellStatus, PhoneChain } from './results.js';
import { type CellContext, playStep } from './steps.js';
import type { Trace } from './trace.js';

export interface CellRun {
  readonly result: CellResult;
  readonly trace: Trace;
}

/** The newest `created` (ms) in the server's list.json; 0 when it lists nothing or is absent. */
async function newestListEntry(server: ServerEndpoints): Promise<number> {
  const base = server.cdnUrlBase.endsWith('/') ? server.cdnUrlBase : `${server.cdnUrlBase}/`;
  try {
    const res = await httpRequest(`${base}${server.blobContainer}/${server.region}/list.json`);
    const text = await res.text();
    const list = res.ok ? (JSON.parse(text) as { created?: number }[]) : [];
    return Array.isArray(list) ? list.reduce((m, e) => Math.max(m, Number(e.created) || 0), 0) : 0;
  } catch {
    return 0; // nothing known to be processed: the phone's first check downloads everything
  }
}

/**
 * Plays steps holding HER-SYS alone (their own HER-SYS calls need no further turn), and clears this
 * cell's fault before letting HER-SYS go, so no other cell ever meets it.
 */
async function playAlone(steps: readonly PlannedStep[], ctx: CellContext): Promise<void> {
  const shared = ctx.usingHerSys;
  ctx.usingHerSys = (_use, work) => work();
  try {
    for (const s of steps) await playStep(s, ctx);
  } finally {
    ctx.usingHerSys = shared;
    if (ctx.hersysFaultSet) {
      await ctx.step('clear HER-SYS fault', () => ctx.deps.hersys.clearFault());
      ctx.hersysFaultSet = false;
    }
  }
}

/** The cell's name on the server (server/cells.ts): stable per cell id and seed, URL-safe. */
export function cellNamespace(cell: Pick<PlannedCell, 'id' | 'seed'>): string {
  let h = 0x811c9dc5;
  for (const ch of `${cell.id}\u0000${cell.seed}`) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 0x01000193);
  const slug = cell.id
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `${slug}-${(h >>> 0).toString(36)}`;
}

export async function executeCell(
  cell: PlannedCell,
  deps: RunnerDeps & DeadlineOptions,
  signal?: AbortSignal,
  /** How this cell may reach HER-SYS beside the other cells (run-plan.ts, hersys-lock.ts). */
  herSys: HerSysAccess = UNSHARED,
): Promise<CellRun> {
  const started = performance.now();
  const errors: string[] = [];
  let status: CellStatus = 'passed';
  const world = deps.createWorld(cell.seed);
  const phones = new Map<string, PhoneHandle>();
  for (const p of cell.phones) phones.set(p.id, world.addPhone(p));
  const observe = deps.observeExports ?? exportObserver(deps.stack);
  // A cell of the server of its own where the target has cells (server/cells.ts): what it uploads,
  // publishes and lists is invisible to every other cell. A deployed server (url) is shared.
  const isolated = deps.stack.cell?.(cellNamespace(cell));
  const own = isolated
    ? { ...deps, stack: { ...deps.stack, server: isolated.server, publish: () => isolated.publish() } }
    : deps;
  // A cell that scripts server faults reaches the server through the fault proxy, by a path of its
  // own, so its faults stay its own; the others talk to the server directly.
  const faulty = cell.steps.some((s) => s.kind === 'server-fault');
  const server =
    (faulty ? deps.serverFaults?.endpoints(own.stack.server, cell.id) : undefined) ?? own.stack.server;
  const now = () => runNow(deps);
  const ctx: CellContext = {
    cell,
    deps: own,
    server,
    phones,
    world,
    trace: [],
    timeline: [],
    numbers: new Map(),
    hersysFaultSet: false,
    serverFaultSet: false,
    now,
    step: (name, work, timeoutMs) =>
      withDeadline(`${cell.id} ${name}`, timeoutMs ?? deps.stepTimeoutMs, work, signal),
    usingHerSys: (use, work) => herSys.shared(use, work),
    publishTimeoutMs: Math.max(deps.stepTimeoutMs, deps.publishTimeoutMs ?? 0),
    // The observer reads the server directly, never through this cell's faults.
    observeExports: () => observe(own.stack.server, now()),
  };
  const { trace, timeline } = ctx;

  try {
    // Phones enter the cell in steady state: what was published before the scenario began (by
    // other cells on the shared server) they processed long ago, as a phone that has been running
    // would have. Files published from now on are all downloaded and verified. A cell's own server
    // has published nothing before it: nothing to read.
    const bookkeeping = [...phones.values()].some((p) => p.markProcessedUpTo);
    if (bookkeeping && !isolated && cell.steps.some((s) => s.kind === 'check')) {
      const created = await ctx.step('read list.json', () => newestListEntry(server));
      for (const phone of phones.values()) phone.markProcessedUpTo?.(server.region, created);
    }
    const span = exclusiveSpan(cell.steps);
    // A cell with steps after now runs alone (run-plan.ts): it starts on its own now and moves the
    // run's clock on to each later step, so server, HER-SYS and phones see that step's time.
    const afterNow = cell.afterNow;
    if (afterNow) await ctx.step('move the clock', () => moveClockTo(deps, afterNow.nowEpochSeconds));
    for (let i = 0; i < cell.steps.length; i++) {
      const at = (cell.steps[i] as PlannedStep).atEpochSeconds;
      if (afterNow && at > now()) await ctx.step('move the clock', () => moveClockTo(deps, at));
      if (span && i === span.first) {
        await herSys.exclusive(span, () => playAlone(cell.steps.slice(span.first, span.last + 1), ctx));
        i = span.last;
      } else await playStep(cell.steps[i] as PlannedStep, ctx);
    }
    // What the server listed when the scenario ended: publish is judged on it for phones that never checked.
    const listing = await ctx.step('read list.json and exports', () => ctx.observeExports());
    const last = cell.steps.at(-1);
    trace.push({ link: 'listing', at: last?.atEpochSeconds ?? now(), label: 'end', listing });
  } catch (e) {
    if (e instanceof InterruptedError) throw e;
    status = e instanceof StepTimeoutError ? 'timedout' : 'error';
    errors.push(e instanceof Error ? e.message : String(e));
  } finally {
    await world.close?.().catch(() => undefined);
    if (ctx.serverFaultSet) deps.serverFaults?.clearFault(cell.id);
    if (ctx.hersysFaultSet)
      await withDeadline('clear HER-SYS fault', deps.stepTimeoutMs, () => deps.hersys.clearFault()).catch(
        () => undefined,
      );
    const numbers = ctx.hersysNumberFault;
    if (numbers)
      await withDeadline('clear HER-SYS fault', deps.stepTimeoutMs, () =>
        deps.hersys.clearNumberFaults(numbers),
      ).catch(() => undefined);
  }

  const draws = world.modelDraws?.() ?? [];
  const judged: PhoneChain[] = cell.expectations.map((exp) => {
    const profile = cell.phones.find((p) => p.id === exp.phone);
    if (!profile) throw new Error(`expectation names unknown phone ${exp.phone}`);
    return phoneChain(trace, profile, exp);
  });
  // A cell that errored or timed out stopped before its chain could be judged: what it lacks is no
  // broken link (an environment or app fault is an error of the run), so no link is blamed.
  const chains = status === 'passed' ? judged : judged.map(unjudged);
  for (const c of chains) {
    const broken = c.links.find((l) => l.status === 'failed');
    if (broken)
      errors.push(
        `${c.phone} (${c.platform}, ${c.app}): expected ${c.expectedUpload ? `upload ${c.expectedUpload.join(', then ')}` : c.expectedNotified ? 'a notification' : 'no notification'}; ${broken.held ? broken.detail : `${broken.name} broke: ${broken.detail}`}`,
      );
  }
  if (status === 'passed' && chains.some((c) => c.firstBrokenLink !== null)) status = 'failed';
  // The cell's own row is its first receiver's chain (sender expectations come after).
  const first = chains.find((c) => c.expectedUpload === undefined) ?? chains[0];
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
      ...(draws.length > 0 ? { draws } : {}),
    },
  };
}

/** A chain cut short by an error: links that lacked evidence are not judged rather than broken. */
function unjudged(chain: PhoneChain): PhoneChain {
  return {
    ...chain,
    links: chain.links.map((l) =>
      l.status === 'failed'
        ? { ...l, status: 'skipped', detail: `not judged (the cell stopped): ${l.detail}` }
        : l,
    ),
    firstBrokenLink: null,
  };
}
