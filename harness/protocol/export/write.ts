import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { zipSync } from 'fflate';
import { encodeExportBin, encodeSignatureList } from './bin.js';
import { ExportFileError } from './errors.js';
import { ECDSA_P256_SHA256_OID, type SignatureInfo, type TemporaryExposureKeyExport } from './types.js';

/** A server's export signing key and the id/version phones know its public half by. */
export interface ExportSigner {
  readonly keyId: string;
  readonly version: string;
  readonly privateKey: KeyObject;
}

/** Loads a PEM (PKCS#8 or SEC1) ECDSA P-256 private key. */
export function loadSigner(pem: string, keyId: string, version: string): ExportSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new ExportFileError(
      'EXPORT_SIGNER_KEY_INVALID',
      `signing key for ${keyId}-${version}: not a PEM private key`,
      undefined,
      {
        cause: error,
      },
    );
  }
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  if (privateKey.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw new ExportFileError(
      'EXPORT_SIGNER_KEY_INVALID',
      `signing key for ${keyId}-${version}: must be ECDSA P-256, got ${privateKey.asymmetricKeyType}${curve ? ` ${curve}` : ''}`,
    );
  }
  return { keyId, version, privateKey };
}

export function signatureInfoOf(signer: ExportSigner): SignatureInfo {
  return {
    verificationKeyVersion: signer.version,
    verificationKeyId: signer.keyId,
    signatureAlgorithm: ECDSA_P256_SHA256_OID,
  };
}

export interface WriteExportOptions {
  /** Deflate level for the zip entries (0 = store). Random key bytes barely compress. */
  readonly level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

/**
 * A signed export zip (export.bin + export.sig), as Google's server writes it (gaen.md §2):
 * one SignatureInfo per signer in the bin, and one ECDSA P-256 SHA-256 DER signature per signer over
 * the entire export.bin, header included.
 */
export function writeSignedExport(
  content: Omit<TemporaryExposureKeyExport, 'signatureInfos'>,
  signers: readonly ExportSigner[],
  options: WriteExportOptions = {},
): { zip: Buffer; exportBin: Buffer } {
  const signatureInfos = signers.map(signatureInfoOf);
  const exportBin = encodeExportBin({ ...content, signatureInfos });
  const exportSig = encodeSignatureList(
    signers.map((signer, i) => ({
      signatureInfo: signatureInfos[i],
      batchNum: content.batchNum,
      batchSize: content.batchSize,
      signature: sign('sha256', exportBin, signer.privateKey),
    })),
  );
  const zipped = zipSync(
    { 'export.bin': exportBin, 'export.sig': exportSig },
    // A fixed mtime keeps the zip bytes a function of the content.
    { level: options.level ?? 1, mtime: new Date(Date.UTC(2020, 0, 1)) },
  );
  return { zip: Buffer.from(zipped.buffer, zipped.byteOffset, zipped.byteLength), exportBin };
}
