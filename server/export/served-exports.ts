/**
 * What list.json and the export files serve, held in memory between export batches. An export never
 * changes once written, and in the reference server only this process's export batch writes or
 * deletes exports (one server process per database, server/README.md), so the listing is read from
 * the database once per batch and each file once, as a CDN in front of blob storage would serve a
 * real key server's. The batch calls `invalidate()` when it ends, whatever its outcome.
 */
import { LRUCache } from 'lru-cache';
import type { Database } from '../database/database.js';
import { type ListEntry, listExports, readExportZip } from './store.js';

export interface ExportReads {
  list(): Promise<readonly ListEntry[]>;
  zip(batchNum: number): Promise<Uint8Array | undefined>;
}

/** Straight from the database on every request (apps built without a batch of their own). */
export function databaseExportReads(db: Database, region: string): ExportReads {
  return { list: () => listExports(db, region), zip: (n) => readExportZip(db, region, n) };
}

/** Files kept in memory at most; larger sets fall back to the database for the least recent. */
const ZIP_CACHE_BYTES = 64 * 1024 * 1024;

export class ServedExports implements ExportReads {
  readonly #reads: ExportReads;
  #list: Promise<readonly ListEntry[]> | undefined;
  readonly #zips = new LRUCache<number, Uint8Array>({
    maxSize: ZIP_CACHE_BYTES,
    sizeCalculation: (zip) => Math.max(1, zip.byteLength),
  });

  constructor(db: Database, region: string) {
    this.#reads = databaseExportReads(db, region);
  }

  list(): Promise<readonly ListEntry[]> {
    if (!this.#list) {
      const reading = this.#reads.list();
      this.#list = reading;
      // A failed read is not remembered: the next request asks the database again.
      reading.catch(() => {
        if (this.#list === reading) this.#list = undefined;
      });
    }
    return this.#list;
  }

  async zip(batchNum: number): Promise<Uint8Array | undefined> {
    const held = this.#zips.get(batchNum);
    if (held) return held;
    // Only listed files are served: a deleted batch is gone from the listing, and so from here.
    if (!(await this.list()).some((e) => e.batchNum === batchNum)) return undefined;
    const zip = await this.#reads.zip(batchNum);
    if (zip) this.#zips.set(batchNum, zip);
    return zip;
  }

  /** After an export batch (new files, deleted files): read everything anew. */
  invalidate(): void {
    this.#list = undefined;
    this.#zips.clear();
  }
}
