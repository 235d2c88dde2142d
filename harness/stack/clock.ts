/**
 * The run's clock as the stack keeps it (architecture.md "Time"): one clock for the reference server,
 * the HER-SYS stub and every phone, with no offset between them. The embedded server and the stub read
 * it in this process; a server process or container starts on it (`ICHIREN_SERVER_NOW`) and is moved
 * with it (`PUT /api/admin/clock`). A deployed server (url) keeps its own clock: the run reads it from
 * the server's `Date` header and cannot move it.
 */
import { OffsetClock } from '../../server/clock.js';
import { httpRequest } from './http-client.js';

export interface StackClock {
  /** Unix ms on the run's clock. */
  now(): number;
  /** False for a deployed server (url): its clock is its own. */
  readonly movable: boolean;
  /** Moves every part's clock to `ms` (then it runs on from there). Refused when not movable. */
  moveTo(ms: number): Promise<void>;
}

/** A clock the stack owns, starting at `startMs` (default: the machine's now). */
export function ownedClock(startMs?: number): OffsetClock {
  return new OffsetClock(startMs);
}

/** The reference server's clock moved over HTTP (process and container targets). */
export function adminClockSetter(baseUrl: string, adminToken: string): (ms: number) => Promise<void> {
  return async (ms) => {
    const res = await httpRequest(`${baseUrl.replace(/\/$/, '')}/api/admin/clock`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ now: new Date(ms).toISOString() }),
    });
    const text = await res.text();
    if (!res.ok)
      throw new Error(`the server refused to move its clock (PUT /api/admin/clock → ${res.status}): ${text}`);
  };
}

/** Unix ms the server at `url` answers with in its `Date` header (second resolution). */
export async function serverDate(url: string): Promise<number> {
  const res = await fetch(url);
  await res.arrayBuffer();
  const date = res.headers.get('date');
  const ms = date ? Date.parse(date) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new Error(`${url} answered without a valid Date header: its clock is unknown`);
  return ms;
}
