import { HttpResponse, http, type RequestHandler } from 'msw';
import { clockOffsetProblem } from './clock.js';
import { FaultSpecError, parseFaultSpec, parseNumberFaultSpec } from './faults.js';
import { cut, maskNumber } from './mask.js';
import { pageOf, readPage } from './paging.js';
import { RegistryInputError } from './registry.js';
import type { HerSysState } from './state.js';
import type { ActiveNumberFault, CallRecord, FaultSpec, RegisterPatientRequest } from './types.js';
import { renderWebScreen } from './web-screen.js';

export interface HandlerOptions {
  /**
   * Origin the handlers answer for, e.g. "http://hersys.test" in-process (so other fetches in the same
   * process pass through). Default "*": any origin, which is right behind a dedicated HTTP port.
   */
  readonly origin?: string;
}

/** A fault by number as control answers and logs show it: its numbers masked, like every number there. */
const maskedNumberFault = (f: ActiveNumberFault): ActiveNumberFault => ({
  ...f,
  numbers: f.numbers.map(maskNumber),
});

const UPLOAD_ID_RE = /^[A-Za-z0-9_-]{8,128}$/;

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Largest page of `GET /control/numbers?recent=N`. */
export const MAX_RECENT_NUMBERS = 1000;

const badRequest = (reason: string, status = 400) =>
  HttpResponse.json({ error: 'BAD_REQUEST', reason }, { status });

/** Reads a JSON body whatever its content type: COCOA's server sends a hand-built text/plain string (cocoa.md §2). */
async function readJson(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; reason: string }> {
  const text = await request.text();
  if (text.trim() === '') return { ok: false, reason: 'body is empty; expected JSON' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `body is not JSON (${(error as Error).message})` };
  }
}

/** A fault spec from the request's JSON body, or the 400 that names what is wrong with it. */
async function readFaultSpec<T extends FaultSpec>(
  request: Request,
  parse: (body: unknown) => T,
): Promise<T | Response> {
  const body = await readJson(request);
  if (!body.ok) return badRequest(body.reason);
  try {
    return parse(body.value);
  } catch (error) {
    if (error instanceof FaultSpecError) return badRequest(error.message);
    throw error;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The HER-SYS verification endpoint: `POST {VerificationPayloadUrl}` → `{"result": code}` (cocoa.md §2). */
async function verify(state: HerSysState, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const contentType = request.headers.get('content-type');
  const record: CallRecord = state.recordCall({
    at: new Date(state.clock.now()).toISOString(),
    method: request.method,
    path: cut(url.pathname),
    contentType: contentType === null ? null : cut(contentType),
    parameterPresent: false,
    maskedNumber: null,
    subscriptionKeyPresent: request.headers.has('ocp-apim-subscription-key'),
    result: null,
    status: null,
    fault: null,
    reason: null,
  });
  const finish = (response: Response, reason: string | null = null): Response => {
    record.status = response.type === 'error' ? null : response.status;
    record.reason = reason;
    const fault = record.fault ? ` [fault ${record.fault}]` : '';
    const answer =
      record.status === null ? 'no answer' : `${record.status} ${record.result ?? reason ?? ''}`.trim();
    state.log(`verify #${record.seq} number=${record.maskedNumber ?? '(none)'} → ${answer}${fault}`);
    return response;
  };

  // Parse first so the call log shows what was asked even when a fault answers instead.
  const body = await readJson(request);
  let number: unknown;
  if (body.ok && isObject(body.value) && state.parameterName in body.value) {
    number = body.value[state.parameterName];
    record.parameterPresent = true;
    if (typeof number === 'string') record.maskedNumber = maskNumber(number);
  }

  const fault: FaultSpec | null = state.faults.take(typeof number === 'string' ? number : undefined);
  if (fault) {
    record.fault = fault.mode;
    if (fault.latencyMs) await delay(fault.latencyMs);
    switch (fault.mode) {
      case 'timeout':
        // Never answer: the connection is held until the client gives up or the stub stops.
        await state.hold(request.signal);
        return finish(HttpResponse.error());
      case 'down':
        return finish(HttpResponse.error());
      case 'status':
        return finish(
          HttpResponse.json({ error: 'FAULT_INJECTED', status: fault.status }, { status: fault.status }),
          `injected ${fault.status}`,
        );
      case 'malformed-body':
        return finish(
          new HttpResponse('{"result":"OK",', {
            status: 200,
            headers: { 'content-type': 'application/json' },
          }),
          'injected malformed body',
        );
      case 'wrong-content-type':
        return finish(
          HttpResponse.html('<!doctype html><html><body><h1>503 Service Unavailable</h1></body></html>', {
            status: 200,
          }),
          'injected text/html',
        );
      case 'latency':
        break;
    }
  }

  if (state.subscriptionKey !== undefined) {
    if (request.headers.get('ocp-apim-subscription-key') !== state.subscriptionKey) {
      const reason = 'missing or wrong Ocp-Apim-Subscription-Key';
      return finish(HttpResponse.json({ error: 'UNAUTHORIZED', reason }, { status: 401 }), reason);
    }
  }
  if (!body.ok) return finish(badRequest(body.reason), body.reason);
  if (!isObject(body.value)) {
    const reason = `body must be a JSON object like {"${state.parameterName}":"12345678"}`;
    return finish(badRequest(reason), reason);
  }
  if (!record.parameterPresent) {
    const reason = `missing parameter "${state.parameterName}"`;
    return finish(badRequest(reason), reason);
  }
  if (typeof number !== 'string') {
    const reason = `parameter "${state.parameterName}" must be a string, got ${typeof number}`;
    return finish(badRequest(reason), reason);
  }
  const uploadId = isObject(body.value) ? body.value.uploadId : undefined;
  if (uploadId !== undefined && (typeof uploadId !== 'string' || !UPLOAD_ID_RE.test(uploadId))) {
    const reason = 'uploadId: when given, 8 to 128 characters of A-Z a-z 0-9 _ -';
    return finish(badRequest(reason), reason);
  }
  const outcome = state.registry.verify(number, uploadId);
  record.result = outcome.result;
  return finish(HttpResponse.json(outcome, { status: 200 }));
}

function authorised(state: HerSysState, request: Request): boolean {
  return request.headers.get('authorization') === `Bearer ${state.controlToken}`;
}

const unauthorised = () =>
  HttpResponse.json(
    { error: 'UNAUTHORIZED', reason: 'control needs header Authorization: Bearer <token>' },
    { status: 401 },
  );

/**
 * The whole dummy HER-SYS as msw handlers (data, no transport): verification, control, web screen.
 * Transports (http-adapter.ts, in-process.ts) are thin adapters over this list.
 */
export function createHerSysHandlers(state: HerSysState, options: HandlerOptions = {}): RequestHandler[] {
  const o = options.origin ?? '*';
  const guard =
    (
      resolver: (
        request: Request,
        params: Record<string, string | readonly string[] | undefined>,
      ) => Promise<Response>,
    ) =>
    async ({
      request,
      params,
    }: {
      request: Request;
      params: Record<string, string | readonly string[] | undefined>;
    }) =>
      authorised(state, request) ? resolver(request, params) : unauthorised();

  return [
    http.post(`${o}${state.verifyPath}`, ({ request }) => verify(state, request)),
    http.all(`${o}${state.verifyPath}`, ({ request }) =>
      HttpResponse.json(
        { error: 'METHOD_NOT_ALLOWED', reason: `${request.method} not allowed; use POST` },
        { status: 405, headers: { allow: 'POST' } },
      ),
    ),

    http.get(`${o}/health`, () => HttpResponse.json({ ok: true })),

    http.get(`${o}/`, () =>
      HttpResponse.html(
        renderWebScreen({
          verifyPath: state.verifyPath,
          parameterName: state.parameterName,
          today: new Date(state.clock.now()).toISOString().slice(0, 10),
        }),
      ),
    ),

    http.post(
      `${o}/control/patients`,
      guard(async (request) => {
        const body = await readJson(request);
        if (!body.ok) return badRequest(body.reason);
        if (!isObject(body.value))
          return badRequest('body must be a JSON object like {"testDate":"2020-09-28"}');
        try {
          const issued = state.registry.register(body.value as RegisterPatientRequest);
          state.log(`issued number=${maskNumber(issued.processingNumber)} to ${issued.patientId}`);
          return HttpResponse.json(issued, { status: 201 });
        } catch (error) {
          if (error instanceof RegistryInputError) return badRequest(error.message);
          throw error;
        }
      }),
    ),
    http.get(
      `${o}/control/numbers`,
      guard(async (request) => {
        // `?recent=N`: the newest N only, so a screen stays as fast after 10^5 numbers as after one.
        const url = new URL(request.url);
        const recent = url.searchParams.get('recent');
        if (recent === null) {
          const page = readPage(url);
          if (typeof page === 'string') return badRequest(page);
          const { items, next, total } = pageOf(state.registry.list(), page);
          const patients = new Set(items.map((n) => n.patientId));
          return HttpResponse.json({
            numbers: items,
            patients: state.registry.patients().filter((p) => patients.has(p.patientId)),
            total,
            next,
          });
        }
        const count = /^[1-9][0-9]{0,3}$/.test(recent) ? Number(recent) : Number.NaN;
        if (!(count <= MAX_RECENT_NUMBERS))
          return badRequest(`recent: must be an integer from 1 to ${MAX_RECENT_NUMBERS}, got "${recent}"`);
        return HttpResponse.json({ ...state.registry.recent(count), total: state.registry.size });
      }),
    ),
    http.post(
      `${o}/control/revoke`,
      guard(async (request) => {
        const body = await readJson(request);
        if (!body.ok) return badRequest(body.reason);
        const v = body.value;
        if (!isObject(v) || (typeof v.processingNumber !== 'string' && typeof v.patientId !== 'string')) {
          return badRequest('body must be {"processingNumber":"12345678"} or {"patientId":"P000001"}');
        }
        const revoked = state.registry.revoke({
          processingNumber: typeof v.processingNumber === 'string' ? v.processingNumber : undefined,
          patientId: typeof v.patientId === 'string' ? v.patientId : undefined,
        });
        if (!revoked)
          return HttpResponse.json(
            { error: 'NOT_FOUND', reason: 'no such number or patient' },
            { status: 404 },
          );
        state.log(`revoked number=${maskNumber(revoked.processingNumber)}`);
        return HttpResponse.json(revoked);
      }),
    ),
    http.get(
      `${o}/control/calls`,
      guard(async (request) => {
        // Oldest first from the cursor (a call's seq); calls pushed out of the ring are counted.
        const page = readPage(new URL(request.url));
        if (typeof page === 'string') return badRequest(page);
        const { items, last } = state.calls.after(page.after, page.limit);
        return HttpResponse.json({
          calls: items,
          total: state.calls.total,
          dropped: state.calls.dropped,
          next: last < state.calls.total ? last : null,
        });
      }),
    ),
    http.get(
      `${o}/control/faults`,
      guard(async () => HttpResponse.json({ fault: state.faults.active })),
    ),
    http.put(
      `${o}/control/faults`,
      guard(async (request) => {
        const spec = await readFaultSpec(request, parseFaultSpec);
        if (spec instanceof Response) return spec;
        if (spec.mode === 'down' && spec.count !== undefined && state.downStyle === 'refuse-port') {
          return badRequest(
            'count: not available for "down" over HTTP — a refused connection never reaches the stub, so it cannot be counted; use forMs or DELETE /control/faults',
          );
        }
        state.setFault(spec);
        state.log(`fault set: ${JSON.stringify(spec)}`);
        return HttpResponse.json({ fault: state.faults.active });
      }),
    ),
    http.delete(
      `${o}/control/faults`,
      guard(async () => {
        state.clearFault();
        state.log('fault cleared');
        return HttpResponse.json({ fault: null });
      }),
    ),
    // Faults for given numbers only: a test's faults then reach its own uploads and nobody else's.
    http.get(
      `${o}/control/faults/by-number`,
      guard(async (request) => {
        const page = readPage(new URL(request.url));
        if (typeof page === 'string') return badRequest(page);
        const { items, next, total } = pageOf(state.faults.byNumber, page);
        return HttpResponse.json({ faults: items.map(maskedNumberFault), total, next });
      }),
    ),
    http.put(
      `${o}/control/faults/by-number`,
      guard(async (request) => {
        const spec = await readFaultSpec(request, parseNumberFaultSpec);
        if (spec instanceof Response) return spec;
        const fault = maskedNumberFault(state.faults.setForNumbers(spec));
        state.log(`fault set by number: ${JSON.stringify(fault)}`);
        return HttpResponse.json({ fault });
      }),
    ),
    http.delete(
      `${o}/control/faults/by-number`,
      guard(async (request) => {
        const numbers = new URL(request.url).searchParams.get('numbers')?.split(',').filter(Boolean) ?? [];
        if (numbers.length === 0)
          return badRequest(
            'numbers: give the numbers whose faults to clear, e.g. ?numbers=12345678,23456789',
          );
        state.faults.clearNumbers(numbers);
        state.log(`faults cleared for ${numbers.map(maskNumber).join(', ')}`);
        return HttpResponse.json({ faults: state.faults.byNumber.map(maskedNumberFault) });
      }),
    ),
    http.get(
      `${o}/control/clock`,
      guard(async () =>
        HttpResponse.json({ offsetMs: state.clock.offsetMs, now: new Date(state.clock.now()).toISOString() }),
      ),
    ),
    http.put(
      `${o}/control/clock`,
      guard(async (request) => {
        const body = await readJson(request);
        if (!body.ok) return badRequest(body.reason);
        const v = body.value;
        // Validate the resulting offset before storing anything: a bad value leaves the clock as it was.
        let next: number;
        let field: string;
        if (isObject(v) && 'offsetMs' in v) [field, next] = ['offsetMs', v.offsetMs as number];
        else if (isObject(v) && 'advanceMs' in v && typeof v.advanceMs === 'number')
          [field, next] = ['advanceMs', state.clock.offsetMs + v.advanceMs];
        else return badRequest('body must be {"offsetMs": number} or {"advanceMs": number}');
        const problem = clockOffsetProblem(next);
        if (problem) return badRequest(`${field}: the clock offset ${problem}`);
        state.clock.setOffset(next);
        state.log(`clock offset ${state.clock.offsetMs} ms`);
        return HttpResponse.json({
          offsetMs: state.clock.offsetMs,
          now: new Date(state.clock.now()).toISOString(),
        });
      }),
    ),
    http.post(
      `${o}/control/reset`,
      guard(async () => {
        state.reset();
        state.log('reset');
        return HttpResponse.json({ ok: true });
      }),
    ),
    http.all(`${o}/control/*`, ({ request }) =>
      HttpResponse.json(
        {
          error: 'NOT_FOUND',
          reason: `no control endpoint ${request.method} ${new URL(request.url).pathname}`,
        },
        { status: 404 },
      ),
    ),
  ];
}
