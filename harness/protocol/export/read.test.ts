import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ExportFileError } from './errors.js';
import { readExportBin, readExportZip } from './read.js';
import { freshSigner, googleSampleExport, googleSampleZip, randomKey } from './test-helpers.js';
import { writeSignedExport } from './write.js';

const { signer } = freshSigner('440');
const good = writeSignedExport(
  {
    startTimestamp: 1,
    endTimestamp: 2,
    region: '440',
    batchNum: 1,
    batchSize: 1,
    keys: [randomKey(), randomKey()],
    revisedKeys: [],
  },
  [signer],
  { level: 0 },
);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ExportFileError) return error.code;
    throw error;
  }
  return 'OK';
}

describe('readExportZip errors', () => {
  it('reports bytes that are not a zip as EXPORT_ZIP_CORRUPT', () => {
    expect(codeOf(() => readExportZip(Buffer.from('hello world, not a zip at all')))).toBe(
      'EXPORT_ZIP_CORRUPT',
    );
    expect(codeOf(() => readExportZip(new Uint8Array(0)))).toBe('EXPORT_ZIP_CORRUPT');
  });

  it('reports a missing export.sig as EXPORT_ENTRY_MISSING naming the entry', () => {
    const zip = zipSync({ 'export.bin': good.exportBin });
    expect(() => readExportZip(zip)).toThrow(/export\.sig is missing/);
    expect(codeOf(() => readExportZip(zip))).toBe('EXPORT_ENTRY_MISSING');
  });

  it('rejects path traversal entry names as Android does', () => {
    for (const name of ['../export.bin', 'a/../../x', '/etc/passwd', 'C:\\x']) {
      const zip = zipSync({ [name]: new Uint8Array([1]), 'export.bin': good.exportBin });
      expect(
        codeOf(() => readExportZip(zip)),
        name,
      ).toBe('EXPORT_PATH_TRAVERSAL');
    }
  });

  it('refuses an entry larger than the limit before inflating it', () => {
    expect(codeOf(() => readExportZip(good.zip, { maxEntryBytes: 100 }))).toBe('EXPORT_TOO_LARGE');
  });

  it('ignores unrelated entries', () => {
    const zip = zipSync({
      'readme.txt': new Uint8Array([1, 2]),
      'export.bin': good.exportBin,
      'export.sig': new Uint8Array(0),
    });
    expect(readExportZip(zip).signatures).toEqual([]);
  });

  it('reports a zip holding a bad export.bin header as EXPORT_BAD_HEADER', () => {
    const bin = Buffer.from(good.exportBin);
    bin[0] = 0x46;
    expect(codeOf(() => readExportZip(zipSync({ 'export.bin': bin, 'export.sig': new Uint8Array(0) })))).toBe(
      'EXPORT_BAD_HEADER',
    );
  });

  it('reports a garbage export.sig as EXPORT_PROTO_INVALID on export.sig', () => {
    const zip = zipSync({ 'export.bin': good.exportBin, 'export.sig': new Uint8Array([0x0a, 0xff, 0xff]) });
    expect(() => readExportZip(zip)).toThrow(
      expect.objectContaining({ code: 'EXPORT_PROTO_INVALID', entry: 'export.sig' }),
    );
  });
});

describe('reader robustness (property)', () => {
  const samples = [
    good.zip,
    // Google's sample when the reference data is present (test/reference-data.ts).
    ...(googleSampleExport.available ? [googleSampleZip()] : []),
    Buffer.from(zipSync({ 'export.bin': good.exportBin, 'export.sig': new Uint8Array(4) }, { level: 6 })),
  ];
  const check = (bytes: Uint8Array) => {
    for (const read of [readExportZip, readExportBin]) {
      try {
        read(bytes);
      } catch (error) {
        if (!(error instanceof ExportFileError)) throw error;
        expect(error.message.length).toBeGreaterThan(0);
      }
    }
  };

  it('never crashes on random bytes: reads or throws ExportFileError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), check), { numRuns: 500 });
  });

  it('never crashes on mutated zips and bins', () => {
    const mutation = fc.record({
      sample: fc.nat(samples.length - 1),
      asBin: fc.boolean(),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      truncate: fc.option(fc.nat()),
    });
    fc.assert(
      fc.property(mutation, ({ sample, asBin, edits, truncate }) => {
        const src = asBin ? good.exportBin : samples[sample];
        const bytes = Buffer.from(src);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        check(truncate === null ? bytes : bytes.subarray(0, truncate % (bytes.length + 1)));
      }),
      { numRuns: 1500 },
    );
  });
});
