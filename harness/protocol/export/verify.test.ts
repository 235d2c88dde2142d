import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { titled } from '../../../test/reference-data.js';
import { ReportType } from '../tek.js';
import { decodeSignatureList, encodeSignatureList } from './bin.js';
import { readExportZip } from './read.js';
import {
  freshSigner,
  GOOGLE_310_V1,
  googleSampleExport,
  googleSampleZip,
  hex,
  randomKey,
} from './test-helpers.js';
import { ECDSA_P256_SHA256_OID } from './types.js';
import { verifyExport } from './verify.js';
import { loadSigner, writeSignedExport } from './write.js';

const content = {
  startTimestamp: 1_600_000_000,
  endTimestamp: 1_600_003_600,
  region: '440',
  batchNum: 1,
  batchSize: 1,
  keys: [randomKey({ transmissionRiskLevel: 0, reportType: ReportType.CONFIRMED_TEST }), randomKey()],
  revisedKeys: [randomKey({ reportType: ReportType.REVOKED })],
};

function rezip(entries: Record<string, Uint8Array>): Buffer {
  return Buffer.from(zipSync(entries));
}

describe.skipIf(!googleSampleExport.available)(
  titled(googleSampleExport, "Google's signed sample export"),
  () => {
    it('reads region US, 140 keys, one signature by 310-v1, and verifies with the published test key', () => {
      const parsed = readExportZip(googleSampleZip());
      expect(parsed.export.region).toBe('US');
      expect(parsed.export.keys).toHaveLength(140);
      expect(parsed.export.signatureInfos).toEqual([
        { verificationKeyId: '310', verificationKeyVersion: 'v1', signatureAlgorithm: ECDSA_P256_SHA256_OID },
      ]);
      const result = verifyExport(parsed, [GOOGLE_310_V1]);
      expect(result).toMatchObject({ valid: true, verifiedKeys: ['310-v1'] });
    });

    it('does not verify with another key configured under the same name', () => {
      const other = freshSigner('310').publicKey;
      const result = verifyExport(readExportZip(googleSampleZip()), [other]);
      expect(result.valid).toBe(false);
      expect(result.reason).toMatch(/310-v1/);
    });

    it('fails when no configured key matches its id and version', () => {
      const result = verifyExport(readExportZip(googleSampleZip()), [{ ...GOOGLE_310_V1, keyId: '440' }]);
      expect(result.valid).toBe(false);
      expect(result.signatures[0].detail).toMatch(/no configured key/);
    });
  },
);

describe('writeSignedExport', () => {
  const { signer, publicKey } = freshSigner('440');

  it('writes a zip that the reader decodes to the same content and verifies', () => {
    const { zip, exportBin } = writeSignedExport(content, [signer]);
    const parsed = readExportZip(zip);
    expect(parsed.exportBin.equals(exportBin)).toBe(true);
    expect(parsed.export.keys.map((k) => hex(k.keyData)).sort()).toEqual(
      content.keys.map((k) => hex(k.keyData)).sort(),
    );
    expect(parsed.export.revisedKeys[0].reportType).toBe(ReportType.REVOKED);
    expect(parsed.signatures[0]).toMatchObject({ batchNum: 1, batchSize: 1 });
    expect(verifyExport(parsed, [publicKey])).toMatchObject({ valid: true, verifiedKeys: ['440-v1'] });
  });

  it('signs the whole export.bin, header included, verifiable with plain crypto.verify', () => {
    const { zip } = writeSignedExport(content, [signer]);
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual(['export.bin', 'export.sig']);
    const [sig] = decodeSignatureList(entries['export.sig']);
    const spki = createPublicKey({
      key: Buffer.from(publicKey.publicKeyBase64, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(verify('sha256', entries['export.bin'], spki, sig.signature)).toBe(true);
    expect(verify('sha256', entries['export.bin'].subarray(16), spki, sig.signature)).toBe(false);
    expect(sig.signature[0]).toBe(0x30); // DER SEQUENCE
  });

  it('loads the project PEM signing key and verifies with its public half', () => {
    const dir = new URL('../../../fixtures/signing/', import.meta.url);
    const pem = readFileSync(new URL('test-export-signing-key.pem', dir), 'utf8');
    const pub = createPublicKey(readFileSync(new URL('test-export-signing-key.pub.pem', dir), 'utf8'));
    const loaded = loadSigner(pem, '440', 'v1');
    const parsed = readExportZip(writeSignedExport(content, [loaded]).zip);
    const configured = {
      keyId: '440',
      version: 'v1',
      publicKeyBase64: pub.export({ format: 'der', type: 'spki' }).toString('base64'),
    };
    expect(verifyExport(parsed, [configured]).valid).toBe(true);
  });

  it('refuses a signing key that is not P-256', () => {
    expect(() => loadSigner('not a key', '440', 'v1')).toThrow(
      expect.objectContaining({ code: 'EXPORT_SIGNER_KEY_INVALID' }),
    );
  });

  it('fails verification when any single byte of export.bin is flipped', () => {
    const { zip, exportBin } = writeSignedExport(content, [signer]);
    const sig = unzipSync(zip)['export.sig'];
    const step = Math.max(1, Math.floor(exportBin.length / 97));
    let checked = 0;
    for (let i = 0; i < exportBin.length; i += step) {
      const bin = Buffer.from(exportBin);
      bin[i] ^= 0x01;
      let valid = false;
      try {
        valid = verifyExport(readExportZip(rezip({ 'export.bin': bin, 'export.sig': sig })), [
          publicKey,
        ]).valid;
      } catch {
        valid = false; // a flipped header or tag may make it unreadable: also a rejection
      }
      expect(valid, `byte ${i}`).toBe(false);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('writes one signature per signer; a phone configured with any one of them accepts it', () => {
    const second = freshSigner('441', 'v2');
    const parsed = readExportZip(writeSignedExport(content, [signer, second.signer]).zip);
    expect(
      parsed.signatures.map(
        (s) => `${s.signatureInfo.verificationKeyId}-${s.signatureInfo.verificationKeyVersion}`,
      ),
    ).toEqual(['440-v1', '441-v2']);
    expect(parsed.export.signatureInfos).toHaveLength(2);
    expect(verifyExport(parsed, [second.publicKey])).toMatchObject({ valid: true, verifiedKeys: ['441-v2'] });
    expect(verifyExport(parsed, [publicKey, second.publicKey]).verifiedKeys).toEqual(['440-v1', '441-v2']);
  });

  it('rejects a file whose signature count differs from its signature_infos', () => {
    const second = freshSigner('441');
    const { zip } = writeSignedExport(content, [signer, second.signer]);
    const entries = unzipSync(zip);
    const [first] = decodeSignatureList(entries['export.sig']);
    const oneSig = rezip({ 'export.bin': entries['export.bin'], 'export.sig': encodeSignatureList([first]) });
    const result = verifyExport(readExportZip(oneSig), [publicKey]);
    expect(result).toMatchObject({ valid: false, signatureCountMatches: false });
    expect(result.reason).toMatch(/1 signature.*2 signature_infos/);
  });

  it('ignores an extra signature whose key the phone does not know', () => {
    const stranger = freshSigner('999');
    const parsed = readExportZip(writeSignedExport(content, [stranger.signer, signer]).zip);
    const result = verifyExport(parsed, [publicKey]);
    expect(result.valid).toBe(true);
    expect(result.signatures.find((s) => s.keyName === '999-v1')?.detail).toMatch(/ignored/);
  });

  it.each([
    [0, 1],
    [2, 1],
    [1, 0],
    [-1, 5],
  ])('rejects batch_num %i of batch_size %i', (batchNum, batchSize) => {
    const parsed = readExportZip(writeSignedExport({ ...content, batchNum, batchSize }, [signer]).zip);
    expect(verifyExport(parsed, [publicKey])).toMatchObject({ valid: false, batchValid: false });
  });

  it('accepts batch 2 of 3', () => {
    const parsed = readExportZip(writeSignedExport({ ...content, batchNum: 2, batchSize: 3 }, [signer]).zip);
    expect(verifyExport(parsed, [publicKey]).valid).toBe(true);
  });

  it('is invalid with no configured keys', () => {
    const parsed = readExportZip(writeSignedExport(content, [signer]).zip);
    expect(verifyExport(parsed, [])).toMatchObject({
      valid: false,
      reason: 'no verification keys configured',
    });
  });
});
