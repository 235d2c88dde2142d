import type { TemporaryExposureKey } from '../tek.js';

/** SignatureInfo (gaen.md §2): which key signed and how. */
export interface SignatureInfo {
  /** `verification_key_version`, e.g. "v1". */
  readonly verificationKeyVersion: string;
  /** `verification_key_id`, e.g. "440" (MCC for Apple). */
  readonly verificationKeyId: string;
  /** OID, "1.2.840.10045.4.3.2" for ECDSA P-256 SHA-256. */
  readonly signatureAlgorithm: string;
}

/** TemporaryExposureKeyExport, the message after the 16-byte header of export.bin. */
export interface TemporaryExposureKeyExport {
  /** Unix seconds (fixed64 on the wire). */
  readonly startTimestamp: number;
  readonly endTimestamp: number;
  readonly region: string;
  /** 1-based. */
  readonly batchNum: number;
  readonly batchSize: number;
  readonly signatureInfos: readonly SignatureInfo[];
  /** Initial release. */
  readonly keys: readonly TemporaryExposureKey[];
  /** Keys whose status changed since an earlier file (e.g. REVOKED). */
  readonly revisedKeys: readonly TemporaryExposureKey[];
}

/** One entry of export.sig (TEKSignatureList.signatures). */
export interface TEKSignature {
  readonly signatureInfo: SignatureInfo;
  readonly batchNum: number;
  readonly batchSize: number;
  /** X9.62 DER ECDSA signature over the whole export.bin. */
  readonly signature: Uint8Array;
}

/** A read export: the raw bin (what is signed), its decoded content and the signatures. */
export interface ParsedExport {
  readonly exportBin: Buffer;
  readonly export: TemporaryExposureKeyExport;
  /** Empty when only a bare export.bin was read. */
  readonly signatures: readonly TEKSignature[];
}

export const ECDSA_P256_SHA256_OID = '1.2.840.10045.4.3.2';
export const ECDSA_P256_SHA512_OID = '1.2.840.10045.4.3.4';
