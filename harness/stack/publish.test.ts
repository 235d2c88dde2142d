import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { externalPublisher } from './publish.js';

/** A deployed server's bare minimum: an empty list.json and a trigger that records its headers. */
async function fakeServer(trigger: 'answer' | 'hang') {
  const seen: IncomingHttpHeaders[] = [];
  const polls = { count: 0 };
  const server = createServer((req, res) => {
    if (req.url === '/c19r/440/list.json') {
      polls.count++;
      res.setHeader('content-type', 'application/json');
      res.end('[]');
      return;
    }
    seen.push(req.headers);
    if (trigger === 'answer') res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, listUrl: `${base}/c19r/440/list.json`, seen, polls };
}
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('externalPublisher', () => {
  it('sends the bearer token with the publish URL', async () => {
    const { base, listUrl, seen } = await fakeServer('answer');
    const publish = externalPublisher(listUrl, {
      http: { url: `${base}/batch`, headers: { authorization: 'Bearer s3cret' } },
    });
    expect(await publish()).toMatchObject({ ok: true, files: [] });
    expect(seen.map((h) => h.authorization)).toEqual(['Bearer s3cret']);
  });

  it('gives a trigger that never answers its timeout, then fails in one line', async () => {
    const { base, listUrl } = await fakeServer('hang');
    const publish = externalPublisher(listUrl, { http: { url: `${base}/batch` } }, 300);
    await expect(publish()).rejects.toThrow(`${base}/batch: no answer within 300 ms`);
  });

  it('polls list.json for its whole deadline when nothing triggers the batch', async () => {
    const { listUrl, polls } = await fakeServer('answer');
    // It keeps polling until the deadline: the first look (the baseline) and then every interval.
    const outcome = await externalPublisher(listUrl, { poll: { deadlineMs: 400, everyMs: 50 } })();
    expect(polls.count).toBeGreaterThanOrEqual(3);
    expect(outcome.detail).toBe(`no new export in ${listUrl} within 400 ms`);
  });
});
