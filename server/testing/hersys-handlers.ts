import { delay, HttpResponse, http } from 'msw';

/** Small msw handlers standing in for HER-SYS in the server's own tests (cocoa.md §2 contract). */
export const TEST_HERSYS_URL = 'http://hersys.test/api/verify';

export interface RecordedCall {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Answers `{"result": results[number] ?? "NOT_FOUND"}`; records each call. */
export function hersysHandlers(results: Record<string, string>, calls: RecordedCall[]) {
  return [
    http.post(TEST_HERSYS_URL, async ({ request }) => {
      const body = await request.text();
      calls.push({ body, headers: Object.fromEntries(request.headers.entries()) });
      const number = (JSON.parse(body) as Record<string, string>).processingNumber ?? '';
      return HttpResponse.json({ result: results[number] ?? 'NOT_FOUND' });
    }),
  ];
}

export const failingHersys = {
  status: (status: number) => [http.post(TEST_HERSYS_URL, () => new HttpResponse('busy', { status }))],
  hang: () => [
    http.post(TEST_HERSYS_URL, async () => {
      await delay('infinite');
      return HttpResponse.json({ result: 'OK' });
    }),
  ],
  networkError: () => [http.post(TEST_HERSYS_URL, () => HttpResponse.error())],
  notJson: () => [http.post(TEST_HERSYS_URL, () => new HttpResponse('<html>', { status: 200 }))],
};
