import { describe, expect, it } from 'vitest';
import { titled } from '../../../test/reference-data.js';
import { ReportType } from '../tek.js';
import { decodeExportBin, EXPORT_HEADER, encodeExportBin } from './bin.js';
import { ExportFileError } from './errors.js';
import { readExportBin, readExportZip } from './read.js';
import {
  googleRoundtripBin,
  googleRoundtripExport,
  googleSampleExport,
  googleSampleZip,
  hex,
  randomKey,
} from './test-helpers.js';
import type { TemporaryExposureKeyExport } from './types.js';

const base: TemporaryExposureKeyExport = {
  startTimestamp: 1_600_000_000,
  endTimestamp: 1_600_003_600,
  region: '440',
  batchNum: 1,
  batchSize: 1,
  signatureInfos: [
    { verificationKeyVersion: 'v1', verificationKeyId: '440', signatureAlgorithm: '1.2.840.10045.4.3.2' },
  ],
  keys: [],
  revisedKeys: [],
};

describe('export.bin encoding', () => {
  it('starts with the 16-byte header and then the proto fields in tag order', () => {
    const bin = encodeExportBin({ ...base, keys: [randomKey()] });
    expect(bin.subarray(0, 16).toString('ascii')).toBe(EXPORT_HEADER);
    expect(EXPORT_HEADER).toHaveLength(16);
    expect(bin[16]).toBe(0x09); // fixed64 start_timestamp
    expect(bin.readBigUInt64LE(17)).toBe(1_600_000_000n);
    expect(bin[25]).toBe(0x11); // fixed64 end_timestamp
  });

  it.skipIf(!googleSampleExport.available)(
    titled(googleSampleExport, "re-encodes Google's signed sample byte for byte"),
    () => {
      const parsed = readExportZip(googleSampleZip());
      expect(encodeExportBin(parsed.export).equals(parsed.exportBin)).toBe(true);
    },
  );

  it('sorts keys by key_data ascending whatever the input order', () => {
    const keys = Array.from({ length: 200 }, () => randomKey());
    const decoded = decodeExportBin(encodeExportBin({ ...base, keys }));
    const got = decoded.keys.map((k) => hex(k.keyData));
    expect(got).toEqual(keys.map((k) => hex(k.keyData)).sort());
  });

  it('sorts keys sharing a 4-byte prefix by their full bytes', () => {
    const a = randomKey({ keyData: Buffer.from('aabbccdd000000000000000000000002', 'hex') });
    const b = randomKey({ keyData: Buffer.from('aabbccdd000000000000000000000001', 'hex') });
    const decoded = decodeExportBin(encodeExportBin({ ...base, keys: [a, b] }));
    expect(decoded.keys.map((k) => hex(k.keyData))).toEqual([hex(b.keyData), hex(a.keyData)]);
  });

  it('omits rolling_period when 144 and writes it otherwise, as exportfile.go does', () => {
    const full = encodeExportBin({ ...base, keys: [randomKey({ rollingPeriod: 144 })] });
    const short = encodeExportBin({ ...base, keys: [randomKey({ rollingPeriod: 89 })] });
    expect(short.length - full.length).toBe(2); // tag 0x20 + varint 89
    expect(short.includes(Buffer.from([0x20, 89]))).toBe(true);
    expect(decodeExportBin(full).keys[0].rollingPeriod).toBe(144);
    expect(decodeExportBin(short).keys[0].rollingPeriod).toBe(89);
  });

  it('round-trips every report type, including REVOKED and RECURSIVE', () => {
    const keys = Object.values(ReportType).map((reportType) => randomKey({ reportType }));
    const decoded = decodeExportBin(encodeExportBin({ ...base, keys }));
    expect(decoded.keys.map((k) => k.reportType).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('writes days_since_onset_of_symptoms as zigzag sint32, so negatives stay small', () => {
    const bin = encodeExportBin({ ...base, keys: [randomKey({ daysSinceOnsetOfSymptoms: -14 })] });
    expect(bin.includes(Buffer.from([0x30, 27]))).toBe(true); // zigzag(-14) = 27
    for (const dso of [-14, -1, 0, 1, 14, 2_000_000_000, -2_000_000_000]) {
      const one = decodeExportBin(
        encodeExportBin({ ...base, keys: [randomKey({ daysSinceOnsetOfSymptoms: dso })] }),
      );
      expect(one.keys[0].daysSinceOnsetOfSymptoms).toBe(dso);
    }
  });

  it('keeps transmission risk level 0 distinct from absent', () => {
    const withZero = decodeExportBin(
      encodeExportBin({ ...base, keys: [randomKey({ transmissionRiskLevel: 0 })] }),
    );
    const without = decodeExportBin(encodeExportBin({ ...base, keys: [randomKey()] }));
    expect(withZero.keys[0].transmissionRiskLevel).toBe(0);
    expect(without.keys[0]).not.toHaveProperty('transmissionRiskLevel');
  });

  it('round-trips revised keys separately from keys', () => {
    const revised = randomKey({ reportType: ReportType.REVOKED });
    const decoded = decodeExportBin(
      encodeExportBin({ ...base, keys: [randomKey()], revisedKeys: [revised] }),
    );
    expect(decoded.keys).toHaveLength(1);
    expect(decoded.revisedKeys.map((k) => hex(k.keyData))).toEqual([hex(revised.keyData)]);
    expect(decoded.revisedKeys[0].reportType).toBe(ReportType.REVOKED);
  });

  it('round-trips the header fields and timestamps beyond 2^32', () => {
    const e = {
      ...base,
      startTimestamp: 2 ** 33 + 5,
      endTimestamp: 2 ** 33 + 3605,
      batchNum: 2,
      batchSize: 3,
    };
    const decoded = decodeExportBin(encodeExportBin(e));
    expect(decoded).toMatchObject({
      startTimestamp: e.startTimestamp,
      endTimestamp: e.endTimestamp,
      batchNum: 2,
      batchSize: 3,
    });
    expect(decoded.signatureInfos).toEqual(base.signatureInfos);
  });
});

describe.skipIf(!googleRoundtripExport.available)(
  titled(googleRoundtripExport, "Google's round-trip export.bin"),
  () => {
    it('contains key 2b714d3ec93c14e5d345003e59027aea starting at interval 2646801', () => {
      const parsed = readExportBin(googleRoundtripBin());
      const key = parsed.export.keys.find((k) => hex(k.keyData) === '2b714d3ec93c14e5d345003e59027aea');
      expect(key?.rollingStartIntervalNumber).toBe(2646801);
      expect(parsed.signatures).toEqual([]);
    });
  },
);

describe('export.bin decoding errors', () => {
  it('rejects a wrong header with EXPORT_BAD_HEADER naming what it found', () => {
    const bin = encodeExportBin(base);
    bin.write('EK Export v2', 0, 'ascii');
    expect(() => decodeExportBin(bin)).toThrow(expect.objectContaining({ code: 'EXPORT_BAD_HEADER' }));
    expect(() => decodeExportBin(bin)).toThrow(/EK Export v2/);
  });

  it('rejects a file shorter than the header', () => {
    expect(() => decodeExportBin(Buffer.from('EK Exp'))).toThrow(ExportFileError);
  });

  it('rejects a truncated proto with EXPORT_PROTO_INVALID', () => {
    const bin = encodeExportBin({ ...base, keys: [randomKey()] });
    const cut = bin.subarray(0, bin.length - 5);
    expect(() => decodeExportBin(cut)).toThrow(expect.objectContaining({ code: 'EXPORT_PROTO_INVALID' }));
  });
});
