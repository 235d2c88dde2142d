import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { VerificationPublicKey } from '../../stack/types.js';
import { ECDSA_P256_SHA256_OID, ECDSA_P256_SHA512_OID, type ParsedExport } from './types.js';

/** Android's max batch group size (ContactTracingFeature.signatureMaxAllowedBatchGroupSize). */
export const MAX_BATCH_SIZE = 1_000_000;

/** Android's OID → digest map (SignatureVerifier): SHA256withECDSA and SHA512withECDSA. */
const DIGEST_BY_OID: Readonly<Record<string, string>> = {
  [ECDSA_P256_SHA256_OID]: 'sha256',
  [ECDSA_P256_SHA512_OID]: 'sha512',
};

export interface SignatureCheck {
  /** `verification_key_id-verification_key_version` of this signature, e.g. "310-v1". */
  readonly keyName: string;
  readonly signatureAlgorithm: string;
  /** The configured key it was checked against, if any matched by name. */
  readonly matchedKey?: string;
  readonly verified: boolean;
  readonly detail: string;
}

export interface ExportVerification {
  readonly valid: boolean;
  /** One sentence: what verified, or the first rule that failed. */
  readonly reason: string;
  /** export.sig holds exactly as many signatures as export.bin declares signature_infos. */
  readonly signatureCountMatches: boolean;
  /** 1 ≤ batch_num ≤ batch_size ≤ 1,000,000. */
  readonly batchValid: boolean;
  /** Names ("id-version") of configured keys whose signature verified. */
  readonly verifiedKeys: readonly string[];
  readonly signatures: readonly SignatureCheck[];
}

export function keyName(keyId: string, version: string): string {
  return `${keyId}-${version}`;
}

/** Parsed keys by their base64 SPKI: a phone verifies every file with the same few keys. */
const parsedKeys = new Map<string, KeyObject | undefined>();

function publicKeyOf(k: VerificationPublicKey): KeyObject | undefined {
  if (parsedKeys.has(k.publicKeyBase64)) return parsedKeys.get(k.publicKeyBase64);
  let key: KeyObject | undefined;
  try {
    key = createPublicKey({ key: Buffer.from(k.publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
  } catch {
    key = undefined;
  }
  if (parsedKeys.size > 1000) parsedKeys.clear();
  parsedKeys.set(k.publicKeyBase64, key);
  return key;
}

function checkOne(
  exportBin: Buffer,
  signature: Uint8Array,
  algorithm: string,
  key: VerificationPublicKey,
): { verified: boolean; detail: string } {
  const digest = DIGEST_BY_OID[algorithm];
  if (!digest)
    return { verified: false, detail: `unsupported signature algorithm ${JSON.stringify(algorithm)}` };
  const publicKey = publicKeyOf(key);
  if (!publicKey)
    return {
      verified: false,
      detail: `configured key ${keyName(key.keyId, key.version)} is not a base64 SPKI public key`,
    };
  let ok = false;
  try {
    // Android streams every byte of export.bin, header included, into Signature.update (gaen.md §2).
    ok = verify(digest, exportBin, publicKey, signature);
  } catch {
    ok = false;
  }
  return ok
    ? { verified: true, detail: `verified with ${keyName(key.keyId, key.version)}` }
    : { verified: false, detail: `signature does not verify with ${keyName(key.keyId, key.version)}` };
}

/**
 * Verifies a read export as an Android phone does (gaen.md §2 "Android verification rules",
 * SignatureVerifier.verify): signatures are matched to configured keys by "id-version"; the count of
 * signatures must equal the count of signature_infos; 1 ≤ batch_num ≤ batch_size; signatures with no
 * configured key are ignored; at least one configured key must verify. Each configured key is its own
 * co-sign set of one (the stack's key list is flat).
 */
export function verifyExport(
  parsed: ParsedExport,
  keys: readonly VerificationPublicKey[],
): ExportVerification {
  const { export: e, signatures, exportBin } = parsed;
  const signatureCountMatches = signatures.length === e.signatureInfos.length;
  const batchValid = e.batchNum >= 1 && e.batchNum <= e.batchSize && e.batchSize <= MAX_BATCH_SIZE;
  const checks: SignatureCheck[] = [];
  const verifiedKeys = new Set<string>();
  const anonymousAllowed = signatures.length === 1;
  for (const sig of signatures) {
    const info = sig.signatureInfo;
    const name = keyName(info.verificationKeyId, info.verificationKeyVersion);
    // "If verification_key_id is absent, the file may contain only one signature" (gaen.md §2).
    const candidates =
      info.verificationKeyId === ''
        ? anonymousAllowed
          ? keys.filter(
              (k) => info.verificationKeyVersion === '' || k.version === info.verificationKeyVersion,
            )
          : []
        : keys.filter((k) => keyName(k.keyId, k.version) === name);
    if (candidates.length === 0) {
      const detail =
        info.verificationKeyId === '' && !anonymousAllowed
          ? 'signature without verification_key_id in a file with several signatures'
          : 'no configured key with this id and version (ignored)';
      checks.push({ keyName: name, signatureAlgorithm: info.signatureAlgorithm, verified: false, detail });
      continue;
    }
    let recorded = false;
    for (const key of candidates) {
      const result = checkOne(exportBin, sig.signature, info.signatureAlgorithm, key);
      if (result.verified || !recorded) {
        if (recorded) checks.pop();
        checks.push({
          keyName: name,
          signatureAlgorithm: info.signatureAlgorithm,
          matchedKey: keyName(key.keyId, key.version),
          ...result,
        });
        recorded = true;
      }
      if (result.verified) {
        verifiedKeys.add(keyName(key.keyId, key.version));
        break;
      }
    }
  }
  const verified = [...verifiedKeys];
  let reason: string;
  if (!signatureCountMatches) {
    reason = `export.sig holds ${signatures.length} signature(s) but export.bin declares ${e.signatureInfos.length} signature_infos`;
  } else if (!batchValid) {
    reason = `batch_num ${e.batchNum} / batch_size ${e.batchSize} is not a valid batch (1 ≤ num ≤ size ≤ ${MAX_BATCH_SIZE})`;
  } else if (keys.length === 0) {
    reason = 'no verification keys configured';
  } else if (verified.length === 0) {
    const failed = checks.find((c) => c.matchedKey !== undefined);
    reason = failed
      ? `${failed.keyName}: ${failed.detail}`
      : `no signature matches a configured key (file: ${checks.map((c) => c.keyName).join(', ') || 'none'}; configured: ${keys.map((k) => keyName(k.keyId, k.version)).join(', ')})`;
  } else {
    reason = `verified by ${verified.join(', ')}`;
  }
  return {
    valid: signatureCountMatches && batchValid && verified.length > 0,
    reason,
    signatureCountMatches,
    batchValid,
    verifiedKeys: verified,
    signatures: checks,
  };
}
