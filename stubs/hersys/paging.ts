/**
 * Every control listing is paged (`?after=<cursor>&limit=<n>`), so no answer grows with how long the
 * stub has run: at most MAX_PAGE entries, with `next` (the cursor of the following page, null at
 * the end) and `total`.
 */
export const MAX_PAGE = 1000;

export interface PageRequest {
  /** Entries after this cursor (0: from the first). */
  readonly after: number;
  readonly limit: number;
}

/** The page a listing's query asks for, or the one-line reason it is refused. */
export function readPage(url: URL): PageRequest | string {
  const after = url.searchParams.get('after') ?? '0';
  const limit = url.searchParams.get('limit') ?? String(MAX_PAGE);
  if (!/^(0|[1-9][0-9]{0,14})$/.test(after))
    return `after: must be a cursor (an integer ≥ 0, from "next" of the previous page), got "${after.slice(0, 40)}"`;
  const n = /^[1-9][0-9]{0,3}$/.test(limit) ? Number(limit) : Number.NaN;
  if (!(n <= MAX_PAGE)) return `limit: must be an integer from 1 to ${MAX_PAGE}, got "${limit.slice(0, 40)}"`;
  return { after: Number(after), limit: n };
}

/** One page of a list held in full (positions are the cursor): its entries and the next cursor. */
export function pageOf<T>(
  all: readonly T[],
  page: PageRequest,
): { items: T[]; next: number | null; total: number } {
  const items = all.slice(page.after, page.after + page.limit);
  const end = page.after + items.length;
  return { items, next: end < all.length ? end : null, total: all.length };
}
