import { describe, expect, it } from 'vitest';
import type { ServerEndpoints } from '../stack/types.js';
import { probeIdentity } from './identity.js';

const server: ServerEndpoints = {
  apiUrlBase: 'http://s/api',
  cdnUrlBase: 'http://s/',
  blobContainer: 'c19r',
  region: '440',
  apiSecret: 'k',
  verificationKeys: [],
};

function fakeFetch(files: Record<string, string>): typeof fetch {
  return (async (url: string) =>
    url in files ? new Response(files[url]) : new Response('no', { status: 404 })) as unknown as typeof fetch;
}

describe('probeIdentity', () => {
  const files = {
    'http://s/c19r/Configration.json': '{"a":1}',
    'http://s/c19r/440/list.json': JSON.stringify([
      { url: 'http://s/c19r/440/3.zip' },
      { url: 'http://s/c19r/440/12.zip' },
    ]),
    'http://s/version': ' 2.0.1\n',
  };
  it('hashes the configuration, lists the batches and reads the version endpoint', async () => {
    const id = await probeIdentity(server, { fetcher: fakeFetch(files), versionUrl: 'http://s/version' });
    expect(id.batchNumbers).toEqual([3, 12]);
    expect(id.serverVersion).toBe('2.0.1');
    expect(id.configHash).toMatch(/^[0-9a-f]{16}$/);
  });
  it('a changed configuration changes the hash; nothing readable gives nulls, not a failure', async () => {
    const a = await probeIdentity(server, { fetcher: fakeFetch(files) });
    const b = await probeIdentity(server, {
      fetcher: fakeFetch({ ...files, 'http://s/c19r/Configration.json': '{"a":2}' }),
    });
    expect(a.configHash).not.toBe(b.configHash);
    expect(await probeIdentity(server, { fetcher: fakeFetch({}) })).toEqual({
      serverVersion: null,
      configHash: null,
      batchNumbers: [],
    });
  });
});
