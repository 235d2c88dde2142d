import { beforeAll, describe, expect, it } from 'vitest';
import { reference, titled } from '../../test/reference-data.js';
import { decryptAem, encryptAem } from './aem.js';
import { alignedRollingStart, enIntervalNumber } from './interval.js';
import { deriveAemk, deriveRpik } from './key-derivation.js';
import { decodeMetadata, encodeMetadata } from './metadata.js';
import { deriveRpi, deriveRpis, rpiAt } from './rpi.js';
import { generateTek } from './tek.js';

interface Vectors {
  keyGenerationUnixSeconds: number;
  rollingStartIntervalNumber: number;
  tek: string;
  rpik: string;
  aemk: string;
  metadata: string;
  advertised: { interval: number; rpi: string; aem: string }[];
}
const vectorsRef = reference('gaen-test-vectors');
let vectors: Vectors;
let tek: Buffer;
beforeAll(() => {
  if (!vectorsRef.available) return;
  vectors = vectorsRef.json<Vectors>();
  tek = Buffer.from(vectors.tek, 'hex');
});

describe.skipIf(!vectorsRef.available)(titled(vectorsRef, "Google's test vectors v1.2"), () => {
  it('computes the key start interval from the generation time', () => {
    expect(enIntervalNumber(vectors.keyGenerationUnixSeconds)).toBe(vectors.rollingStartIntervalNumber);
    expect(alignedRollingStart(vectors.rollingStartIntervalNumber + 77)).toBe(
      vectors.rollingStartIntervalNumber,
    );
  });

  it('derives RPIK and AEMK with HKDF-SHA256', () => {
    expect(deriveRpik(tek).toString('hex')).toBe(vectors.rpik);
    expect(deriveAemk(tek).toString('hex')).toBe(vectors.aemk);
  });

  it('derives all 144 RPIs in one batch and each one alone', () => {
    expect(vectors.advertised).toHaveLength(144);
    const rpik = deriveRpik(tek);
    const batch = deriveRpis(rpik, vectors.rollingStartIntervalNumber);
    vectors.advertised.forEach((entry, i) => {
      expect(rpiAt(batch, i).toString('hex')).toBe(entry.rpi);
      expect(deriveRpi(rpik, entry.interval).toString('hex')).toBe(entry.rpi);
    });
  });

  it('encrypts the metadata of all 144 intervals to the published AEMs and decrypts them back', () => {
    const aemk = deriveAemk(tek);
    const metadata = Buffer.from(vectors.metadata, 'hex');
    for (const entry of vectors.advertised) {
      const rpi = Buffer.from(entry.rpi, 'hex');
      const aem = encryptAem(aemk, rpi, metadata);
      expect(aem.toString('hex')).toBe(entry.aem);
      expect(decryptAem(aemk, rpi, aem).toString('hex')).toBe(vectors.metadata);
    }
  });
});

describe('metadata', () => {
  it.skipIf(!vectorsRef.available)(
    titled(vectorsRef, 'reads the test vectors metadata as v1.0 with +8 dBm'),
    () => {
      expect(decodeMetadata(Buffer.from(vectors.metadata, 'hex'))).toEqual({
        version: '1.0',
        txPower: 8,
        calibrationConfidence: 0,
      });
    },
  );

  it('round-trips v1.1 with calibration confidence and negative TX power', () => {
    const bytes = encodeMetadata({ version: '1.1', txPower: -30, calibrationConfidence: 3 });
    expect(bytes[0]).toBe(0x5c);
    expect(decodeMetadata(bytes)).toEqual({ version: '1.1', txPower: -30, calibrationConfidence: 3 });
  });

  it('rejects TX power outside int8', () => {
    expect(() => encodeMetadata({ version: '1.0', txPower: 200, calibrationConfidence: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('TEK generation', () => {
  it('aligns the rolling start to UTC midnight with a 144-interval period', () => {
    const noonUtc = Date.UTC(2020, 8, 28, 12, 34) / 1000;
    const key = generateTek(noonUtc);
    expect(key.keyData).toHaveLength(16);
    expect(key.rollingPeriod).toBe(144);
    expect(key.rollingStartIntervalNumber * 600).toBe(Date.UTC(2020, 8, 28) / 1000);
  });

  it('draws fresh random bytes for every key', () => {
    const a = generateTek(0);
    const b = generateTek(0);
    expect(Buffer.from(a.keyData).equals(Buffer.from(b.keyData))).toBe(false);
  });
});
