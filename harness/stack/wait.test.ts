import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LogBuffer } from './logs.js';
import { retryUntil, waitForHttp, waitForLogLine } from './wait.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serverAnswering(statuses: number[]): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(statuses.length > 1 ? statuses.shift()! : statuses[0]!);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('readiness waits', () => {
  it('waitForHttp polls until the URL answers 200', async () => {
    const url = await serverAnswering([503, 503, 200]);
    await expect(
      waitForHttp(`${url}/ready`, { timeoutMs: 5_000, everyMs: 10 }).wait(),
    ).resolves.toBeUndefined();
  });

  it('waitForHttp names the URL and the last answer when the budget runs out', async () => {
    const url = await serverAnswering([503]);
    await expect(waitForHttp(`${url}/ready`, { timeoutMs: 200, everyMs: 20 }).wait()).rejects.toMatchObject({
      code: 'STACK_NOT_READY',
      message: expect.stringMatching(
        /HTTP 200 from http:\/\/127\.0\.0\.1:\d+\/ready not ready after 200 ms \(last: status 503\)/,
      ),
    });
  });

  it('waitForLogLine matches a line already logged and one logged later, split across chunks', async () => {
    const logs = new LogBuffer();
    logs.write('server', 'boot\nichiren server listening on http://127.0.0.1:1');
    const later = waitForLogLine(logs, 'server', /listening on (\S+)/, { timeoutMs: 1_000 }).wait();
    logs.write('server', '234\n');
    expect((await later)[1]).toBe('http://127.0.0.1:1234');
    const again = await waitForLogLine(logs, 'server', /boot/, { timeoutMs: 100 }).wait();
    expect(again[0]).toBe('boot');
  });

  it('waitForLogLine ignores other sources and fails early when told the process died', async () => {
    const logs = new LogBuffer();
    logs.add('hersys', 'listening on http://x');
    const died = Promise.reject(new Error('server exited (1)'));
    await expect(
      waitForLogLine(logs, 'server', /listening on/, { timeoutMs: 5_000, failed: died }).wait(),
    ).rejects.toThrow('server exited (1)');
    await expect(
      waitForLogLine(logs, 'server', /listening on/, { timeoutMs: 50 }).wait(),
    ).rejects.toMatchObject({
      code: 'STACK_NOT_READY',
    });
  });

  it('retryUntil retries errors until a value comes back', async () => {
    let n = 0;
    const value = await retryUntil(
      'thing',
      async () => {
        n++;
        if (n < 3) throw new Error('not yet');
        return n;
      },
      { timeoutMs: 2_000, everyMs: 5 },
    );
    expect(value).toBe(3);
  });
});
