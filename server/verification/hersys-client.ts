import { Agent, request } from 'undici';
import { COCOA_MESSAGES, DiagnosisRejection } from '../diagnosis/rejection.js';

/**
 * One keep-alive connection pool for every HER-SYS call of the process. undici's `request` rather
 * than `fetch`: a third of the CPU per call (measured 171 vs 627 µs on loopback, the bench's figure),
 * and HER-SYS is on the path of every upload.
 */
const hersysAgent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });

/** Settings of the processing-number check (cocoa.md §2 CustomVerificationService). */
export interface HerSysClientOptions {
  readonly url?: string;
  readonly parameterName: string;
  readonly subscriptionKey?: string;
  readonly timeoutMs: number;
  readonly statusTable: Readonly<Record<string, number>>;
}

/** What HER-SYS said, mapped; `status` 200 means "store the keys". */
export interface VerificationOutcome {
  readonly status: number;
  /** HER-SYS `result`, or why there was none (`unreachable`, `timeout`, `http-502`, `bad-reply`). */
  readonly result: string;
}

/**
 * Asks HER-SYS about a processing number. `uploadId` (ichiren's protocol, stubs/hersys/README.md)
 * lets the stub answer the identical upload OK again after a crash between its OK and our commit.
 * Never throws: every failure is an outcome, so the API maps
 * it to the status COCOA returned (non-2xx / unknown → 503).
 */
export async function verifyProcessingNumber(
  options: HerSysClientOptions,
  processingNumber: string,
  uploadId?: string,
): Promise<VerificationOutcome> {
  if (!options.url) return { status: 503, result: 'not-configured' };
  const headers: Record<string, string> = {
    Accept: 'application/json',
    // COCOA hand-built the JSON into a StringContent, whose default type is text/plain (cocoa.md §2).
    'Content-Type': 'text/plain; charset=utf-8',
  };
  if (options.subscriptionKey) headers['Ocp-Apim-Subscription-Key'] = options.subscriptionKey;
  let status: number;
  let text: string;
  // A timer cleared on the answer, not AbortSignal.timeout: that one's timer outlives the call and
  // builds a TimeoutError (with its stack) for every call when it fires, a twentieth of the server's
  // CPU per upload under load (server.bench.ts profile).
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new TimeoutError()), options.timeoutMs);
  try {
    const response = await request(options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        [options.parameterName]: processingNumber,
        ...(uploadId === undefined ? {} : { uploadId }),
      }),
      signal: abort.signal,
      dispatcher: hersysAgent,
    });
    status = response.statusCode;
    try {
      text = await response.body.text();
    } catch (error) {
      if (isTimeout(error)) return { status: 503, result: 'timeout' };
      return { status: 503, result: 'bad-reply' };
    }
  } catch (error) {
    return { status: 503, result: isTimeout(error) ? 'timeout' : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
  if (status < 200 || status > 299) return { status: 503, result: `http-${status}` };
  let result: unknown;
  try {
    result = (JSON.parse(text) as { result?: unknown })?.result;
  } catch {
    return { status: 503, result: 'bad-reply' };
  }
  if (typeof result !== 'string') return { status: 503, result: 'bad-reply' };
  return { status: Object.hasOwn(options.statusTable, result) ? options.statusTable[result]! : 503, result };
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** The rejection the diagnosis API returns for a non-200 outcome (`ObjectResult("Bad VerificationPayload")`). */
export function verificationRejection(outcome: VerificationOutcome): DiagnosisRejection {
  return new DiagnosisRejection(
    outcome.status,
    COCOA_MESSAGES.badVerificationPayload,
    outcome.status === 503 ? 'VERIFICATION_UNAVAILABLE' : 'VERIFICATION_REJECTED',
    'verificationPayload',
    `HER-SYS: ${outcome.result}`,
  );
}
