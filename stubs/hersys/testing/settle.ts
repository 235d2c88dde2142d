import type { HerSysControlClient } from '../client.js';

/**
 * Waits until the verification port matches the fault state: refusing under 'down', answering otherwise
 * (the port closes and reopens just after the control call returns). Polls with a deadline, no fixed sleep.
 */
export async function settlePort(
  baseUrl: string,
  client: HerSysControlClient,
  timeoutMs = 3_000,
): Promise<void> {
  const wantDown = (await client.fault())?.mode === 'down';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await fetch(`${baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up !== wantDown) return;
    if (Date.now() > deadline)
      throw new Error(`port ${baseUrl} still ${up ? 'up' : 'down'} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
