import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { type HandlerHttpServer, listenHandlers } from '../../stubs/hersys/http-adapter.js';

/**
 * Small msw handlers standing in for HER-SYS in the server's own tests (cocoa.md §2 contract), served
 * over real loopback HTTP by `startTestHersys` (the server's client is undici, which msw's in-process
 * interception does not see).
 */
const VERIFY_PATH = '*/api/verify';

export interface RecordedCall {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Answers `{"result": results[number] ?? "NOT_FOUND"}`; records each call. */
export function hersysHandlers(results: Record<string, string>, calls: RecordedCall[]) {
  return [
    http.post(VERIFY_PATH, async ({ request }) => {
      const body = await request.text();
      calls.push({ body, headers: Object.fromEntries(request.headers.entries()) });
      const number = (JSON.parse(body) as Record<string, string>).processingNumber ?? '';
      return HttpResponse.json({ result: results[number] ?? 'NOT_FOUND' });
    }),
  ];
}

export const failingHersys = {
  status: (status: number) => [http.post(VERIFY_PATH, () => new HttpResponse('busy', { status }))],
  hang: () => [
    http.post(VERIFY_PATH, async () => {
      await delay('infinite');
      return HttpResponse.json({ result: 'OK' });
    }),
  ],
  networkError: () => [http.post(VERIFY_PATH, () => HttpResponse.error())],
  notJson: () => [http.post(VERIFY_PATH, () => new HttpResponse('<html>', { status: 200 }))],
};

/** A HER-SYS over loopback HTTP whose handlers a test swaps as msw's `use`/`resetHandlers` do. */
export interface TestHersys {
  /** The verification URL to give the server's `hersys.url`. */
  readonly url: string;
  /** Puts handlers in front of the current ones (msw `use`). */
  use(...handlers: RequestHandler[]): void;
  /** Drops handlers added by `use`; with arguments, they become the new base (msw `resetHandlers`). */
  reset(...handlers: RequestHandler[]): void;
  close(): Promise<void>;
}

export async function startTestHersys(...initial: RequestHandler[]): Promise<TestHersys> {
  let base = [...initial];
  // listenHandlers reads this array on every request, so it is changed in place.
  const handlers: RequestHandler[] = [...base];
  const server: HandlerHttpServer = await listenHandlers(handlers);
  return {
    url: `${server.url}/api/verify`,
    use: (...h) => handlers.unshift(...h),
    reset: (...h) => {
      if (h.length > 0) base = [...h];
      handlers.splice(0, handlers.length, ...base);
    },
    close: () => server.close(),
  };
}
