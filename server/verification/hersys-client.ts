import { COCOA_MESSAGES, DiagnosisRejection } from '../diagnosis/rejection.js';

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
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        [options.parameterName]: processingNumber,
        ...(uploadId === undefined ? {} : { uploadId }),
      }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const name = (error as { name?: string }).name;
    return {
      status: 503,
      result: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable',
    };
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    return { status: 503, result: 'bad-reply' };
  }
  if (response.status < 200 || response.status > 299)
    return { status: 503, result: `http-${response.status}` };
  let result: unknown;
  try {
    result = (JSON.parse(text) as { result?: unknown })?.result;
  } catch {
    return { status: 503, result: 'bad-reply' };
  }
  if (typeof result !== 'string') return { status: 503, result: 'bad-reply' };
  const status = Object.hasOwn(options.statusTable, result) ? options.statusTable[result]! : 503;
  return { status, result };
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
