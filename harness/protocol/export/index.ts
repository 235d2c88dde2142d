export {
  decodeExportBin,
  decodeSignatureList,
  EXPORT_HEADER,
  EXPORT_HEADER_BYTES,
  encodeExportBin,
  encodeKey,
  encodeSignatureList,
} from './bin.js';
export { ExportFileError, type ExportFileErrorCode } from './errors.js';
export {
  EXPORT_BIN_ENTRY,
  EXPORT_SIG_ENTRY,
  looksLikeZip,
  type ReadExportOptions,
  readExportBin,
  readExportZip,
} from './read.js';
export { EXPORT_PROTO } from './schema.js';
export {
  ECDSA_P256_SHA256_OID,
  ECDSA_P256_SHA512_OID,
  type ParsedExport,
  type SignatureInfo,
  type TEKSignature,
  type TemporaryExposureKeyExport,
} from './types.js';
export {
  type ExportVerification,
  keyName,
  MAX_BATCH_SIZE,
  type SignatureCheck,
  verifyExport,
} from './verify.js';
export {
  type ExportSigner,
  loadSigner,
  signatureInfoOf,
  type WriteExportOptions,
  writeSignedExport,
} from './write.js';
