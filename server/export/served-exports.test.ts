import { describe, expect, it } from 'vitest';
import type { Database } from '../database/database.js';
import { ServedExports } from './served-exports.js';

/** A database holding export rows in memory, counting the reads that reach it. */
function fakeDatabase(rows: { batch_num: number; created_ms: number; zip: Uint8Array }[]) {
  const reads = { list: 0, zip: 0 };
  let failNextList = false;
  const db = {
    kind: 'pglite',
    async query(text: string, params: readonly unknown[] = []) {
      if (text.startsWith('SELECT batch_num')) {
        reads.list++;
        if (failNextList) {
          failNextList = false;
          throw new Error('connection lost');
        }
        return rows.map(({ batch_num, created_ms }) => ({ batch_num, created_ms }));
      }
      if (text.startsWith('SELECT zip')) {
        reads.zip++;
        return rows.filter((r) => r.batch_num === params[1]).map((r) => ({ zip: r.zip }));
      }
      throw new Error(`unexpected query ${text}`);
    },
  } as unknown as Database;
  return { db, reads, rows, failList: () => (failNextList = true) };
}

const zip = (n: number) => new Uint8Array([n, n, n]);

describe('ServedExports', () => {
  it('reads the listing and each file once per batch, and anew after invalidate()', async () => {
    const f = fakeDatabase([{ batch_num: 1, created_ms: 10, zip: zip(1) }]);
    const served = new ServedExports(f.db, '440');
    expect(await served.list()).toEqual([{ batchNum: 1, createdMs: 10 }]);
    expect(await served.list()).toHaveLength(1);
    expect(await served.zip(1)).toEqual(zip(1));
    expect(await served.zip(1)).toEqual(zip(1));
    expect(f.reads).toEqual({ list: 1, zip: 1 });

    f.rows.push({ batch_num: 2, created_ms: 20, zip: zip(2) });
    expect(await served.list()).toHaveLength(1); // the batch has not told it yet
    served.invalidate();
    expect((await served.list()).map((e) => e.batchNum)).toEqual([1, 2]);
    expect(await served.zip(2)).toEqual(zip(2));
    expect(f.reads).toEqual({ list: 2, zip: 2 });
  });

  it('serves no file that is not listed (deleted by the retention batch), without reading it', async () => {
    const f = fakeDatabase([{ batch_num: 1, created_ms: 10, zip: zip(1) }]);
    const served = new ServedExports(f.db, '440');
    expect(await served.zip(1)).toEqual(zip(1));
    f.rows.splice(0, 1);
    served.invalidate();
    expect(await served.zip(1)).toBeUndefined();
    expect(await served.zip(7)).toBeUndefined();
    expect(f.reads.zip).toBe(1);
  });

  it('does not remember a failed listing', async () => {
    const f = fakeDatabase([{ batch_num: 1, created_ms: 10, zip: zip(1) }]);
    const served = new ServedExports(f.db, '440');
    f.failList();
    await expect(served.list()).rejects.toThrow('connection lost');
    expect(await served.list()).toHaveLength(1);
    expect(f.reads.list).toBe(2);
  });
});
