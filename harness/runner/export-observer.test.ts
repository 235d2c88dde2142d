import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSigner, randomKey } from '../protocol/export/test-helpers.js';
import { writeSignedExport } from '../protocol/export/write.js';
import { keyRef } from '../protocol/key-ref.js';
import type { ServerEndpoints, StartedStack } from '../stack/types.js';
import { exportObserver } from './export-observer.js';

/** A CDN that serves list.json and the zips it is given, and counts what it was asked for. */
const { signer, publicKey } = freshSigner('440');
const key = randomKey();
const zip = (batchNum: number) =>
  writeSignedExport(
    {
      startTimestamp: 1_600_000_000,
      endTimestamp: 1_600_086_400,
      region: '440',
      batchNum,
      batchSize: 2,
      keys: [key],
      revisedKeys: [],
    },
    [signer],
  ).zip;

let list: { url: string; created: number }[] = [];
const files = new Map<string, Uint8Array>();
const asked: string[] = [];
const cdn = createServer((req, res) => {
  asked.push(req.url ?? '');
  if (req.url === '/c19r/440/list.json') {
    res.end(JSON.stringify(list));
    return;
  }
  const body = files.get(req.url ?? '');
  res.statusCode = body ? 200 : 404;
  res.end(body ?? 'not found');
});
let server: ServerEndpoints;

beforeAll(async () => {
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/`;
  server = {
    apiUrlBase: `${base}api`,
    cdnUrlBase: base,
    blobContainer: 'c19r',
    region: '440',
    apiSecret: '',
    verificationKeys: [publicKey],
  };
});
afterAll(() => new Promise<void>((resolve) => cdn.close(() => resolve())));

describe('exportObserver', () => {
  it('lists every file in order with its keys, reads each once, and reads a failed one again', async () => {
    const observe = exportObserver({} as StartedStack);
    const url = (n: number) => `${server.cdnUrlBase}c19r/440/${n}.zip`;
    files.set('/c19r/440/1.zip', zip(1));
    list = [
      { url: url(1), created: 1000 },
      { url: url(2), created: 2000 },
    ];
    const first = await observe(server, 1);
    expect(first.files.map((f) => [f.file, f.created, f.signed, f.error ?? 'ok'])).toEqual([
      ['1.zip', 1000, true, 'ok'],
      ['2.zip', 2000, false, 'HTTP 404'],
    ]);
    expect(first.files[0]?.keys).toEqual([keyRef(key)]);

    // 2.zip appears; 1.zip is not read again, and the same entry comes back for it.
    files.set('/c19r/440/2.zip', zip(2));
    asked.length = 0;
    const second = await observe(server, 2);
    expect(asked).toEqual(['/c19r/440/list.json', '/c19r/440/2.zip']);
    expect(second.files.map((f) => [f.file, f.batchNum, f.signed, f.error ?? 'ok'])).toEqual([
      ['1.zip', 1, true, 'ok'],
      ['2.zip', 2, true, 'ok'],
    ]);
    expect(second.files[0]).toBe(first.files[0]);

    // A file listed again with another `created` is listed with it.
    list = [{ url: url(1), created: 1500 }];
    asked.length = 0;
    const third = await observe(server, 3);
    expect(third.files.map((f) => [f.file, f.created])).toEqual([['1.zip', 1500]]);
    expect(asked).toEqual(['/c19r/440/list.json']);
  });

  it('names list.json when it cannot be read', async () => {
    const observe = exportObserver({} as StartedStack);
    const listing = await observe({ ...server, region: '999' }, 1);
    expect(listing.files).toEqual([]);
    expect(listing.error).toMatch(/\/c19r\/999\/list\.json: HTTP 404$/);
  });
});
