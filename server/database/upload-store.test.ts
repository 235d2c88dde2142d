import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoredKey } from '../diagnosis/keys.js';
import { todayInterval } from '../testing/uploads.js';
import { type Database, openDatabase } from './database.js';
import { countKeys } from './key-store.js';
import { storeUploads, submissionSha256, type UploadToStore, UploadWriter } from './upload-store.js';

const key = (fill: number, daysAgo = 1): StoredKey => ({
  id: randomUUID(),
  keyData: Buffer.alloc(16, fill),
  rollingStartIntervalNumber: todayInterval() - daysAgo * 144,
  rollingPeriod: 144,
  transmissionRiskLevel: 4,
  reportType: null,
  daysSinceOnsetOfSymptoms: null,
  region: '440',
});

const upload = (number: string, keys: StoredKey[], uploadHash = `u-${number}`): UploadToStore => ({
  numberSha256: `n-${number}`,
  uploadSha256: uploadHash,
  route: 'v2',
  keys,
  receivedMs: 0,
});

describe('upload store (server/README.md "Uploads")', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({});
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.query('TRUNCATE temporary_exposure_keys, uploads');
  });

  it('stores new numbers with their keys, answers the identical retry, refuses another upload', async () => {
    expect(await storeUploads(db, [upload('1', [key(1), key(2)])])).toEqual(['stored']);
    const outcomes = await storeUploads(db, [
      upload('1', [key(1), key(2)]), // the same upload again
      upload('2', [key(3)]),
    ]);
    expect(outcomes).toEqual(['retry', 'stored']);
    expect(await storeUploads(db, [upload('2', [key(4)], 'another upload')])).toEqual(['number-used']);
    // Keys of the retry and of the refused upload are not stored again.
    expect((await countKeys(db)).total).toBe(3);
  });

  it("adds a retry's new keys to its submission's (the union), keeping a key already stored", async () => {
    expect(await storeUploads(db, [upload('1', [key(1), key(2)])])).toEqual(['stored']);
    expect(await storeUploads(db, [upload('1', [key(1), key(2, 1), key(3, 0)])])).toEqual(['retry']);
    expect((await countKeys(db)).total).toBe(3);
    expect(await storeUploads(db, [upload('1', [key(9)], 'another submission')])).toEqual(['number-used']);
    expect((await countKeys(db)).total).toBe(3);
  });

  it('identifies a submission by what the app keeps across retries, per route', () => {
    const k = (data: string, rsn: number, rp = 144) => ({
      keyData: data,
      rollingStartNumber: rsn,
      rollingPeriod: rp,
    });
    const id = submissionSha256;
    // v3: the idempotency key, whatever the keys.
    expect(id('v3', '1', { idempotency_key: 'g', keys: [k('a', 1)] })).toBe(
      id('v3', '1', { idempotency_key: 'g', keys: [k('b', 2)] }),
    );
    expect(id('v3', '1', { idempotency_key: 'g', keys: [] })).not.toBe(
      id('v3', '1', { idempotency_key: 'h', keys: [] }),
    );
    // v1: the registered userUuid.
    expect(id('v1', '1', { userUuid: 'u', keys: [k('a', 1)] })).toBe(
      id('v1', '1', { userUuid: 'u', keys: [] }),
    );
    expect(id('v1', '1', { userUuid: 'u', keys: [] })).not.toBe(id('v1', '1', { userUuid: 'w', keys: [] }));
    // v2: the earliest key; a later key added or re-released does not change it.
    const v2 = id('v2', '1', { keys: [k('b', 2), k('a', 1)] });
    expect(id('v2', '1', { keys: [k('a', 1), k('b', 2), k('c', 3, 10)] })).toBe(v2);
    expect(id('v2', '1', { keys: [k('a', 1), k('b', 2), k('c', 3, 144)] })).toBe(v2);
    expect(id('v2', '1', { keys: [k('z', 1), k('b', 2)] })).not.toBe(v2);
    // The number always counts.
    expect(id('v2', '2', { keys: [k('a', 1)] })).not.toBe(id('v2', '1', { keys: [k('a', 1)] }));
  });

  it('stores a key sent by two uploads of one batch once', async () => {
    expect(await storeUploads(db, [upload('1', [key(7)]), upload('2', [key(7), key(8)])])).toEqual([
      'stored',
      'stored',
    ]);
    expect((await countKeys(db)).total).toBe(2);
  });

  it('writes uploads whose HER-SYS answers come in together in one transaction', async () => {
    let statements = 0;
    const counted: Database = {
      ...db,
      query: (text, params) => {
        statements++;
        return db.query(text, params);
      },
    };
    const writer = new UploadWriter(counted);
    const answered = Array.from({ length: 20 }, () => writer.verifying());
    // The answers arrive one I/O turn apart, as from separate connections.
    const stored = answered.map(async (done, i) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (i % 2 === 1) await new Promise((resolve) => setImmediate(resolve));
      done();
      return writer.store(upload(String(i), [key(i)]));
    });
    expect(await Promise.all(stored)).toEqual(Array(20).fill('stored'));
    expect(statements).toBe(1);
    expect((await countKeys(db)).total).toBe(20);
  });

  it('does not hold an upload for one whose HER-SYS answer never comes', async () => {
    const writer = new UploadWriter(db);
    writer.verifying(); // never answered (a hung HER-SYS call)
    expect(await writer.store(upload('9', [key(9)]))).toBe('stored');
  });

  it('fails every upload of a failed transaction and stores none of them', async () => {
    const failing: Database = {
      ...db,
      query: async () => {
        throw new Error('database down');
      },
    };
    const writer = new UploadWriter(failing);
    const results = await Promise.allSettled([
      writer.store(upload('1', [key(1)])),
      writer.store(upload('2', [key(2)])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await countKeys(db)).total).toBe(0);
  });
});
