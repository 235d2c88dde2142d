import { TEK_ROLLING_PERIOD } from '../interval.js';
import type { ReportType, TemporaryExposureKey } from '../tek.js';
import { ExportFileError } from './errors.js';
import { ExportMessage, KeyMessage, SignatureListMessage } from './schema.js';
import type { SignatureInfo, TEKSignature, TemporaryExposureKeyExport } from './types.js';

/** export.bin starts with these 16 ASCII bytes; Android reads exactly 16 and compares (gaen.md §2). */
export const EXPORT_HEADER = 'EK Export v1    ';
export const EXPORT_HEADER_BYTES = Buffer.from(EXPORT_HEADER, 'ascii');

interface WireKey {
  keyData: Uint8Array;
  rollingStartIntervalNumber?: number;
  rollingPeriod?: number;
  transmissionRiskLevel?: number;
  reportType?: number;
  daysSinceOnsetOfSymptoms?: number;
}

/**
 * The wire form of one key, as exportfile.go builds it: rolling_start_interval_number omitted
 * when 0, rolling_period omitted when 144 (the proto default). Optional fields are written only
 * when the key carries them, so "TRL 0" and "no TRL" stay distinguishable on the wire.
 */
function toWireKey(k: TemporaryExposureKey): WireKey {
  const w: WireKey = { keyData: k.keyData };
  if (k.rollingStartIntervalNumber !== 0) w.rollingStartIntervalNumber = k.rollingStartIntervalNumber;
  if (k.rollingPeriod !== TEK_ROLLING_PERIOD) w.rollingPeriod = k.rollingPeriod;
  if (k.transmissionRiskLevel !== undefined) w.transmissionRiskLevel = k.transmissionRiskLevel;
  if (k.reportType !== undefined) w.reportType = k.reportType;
  if (k.daysSinceOnsetOfSymptoms !== undefined) w.daysSinceOnsetOfSymptoms = k.daysSinceOnsetOfSymptoms;
  return w;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/**
 * Keys sorted by key_data ascending ("scramble", exportfile.go), so file order leaks nothing about
 * upload order. Sorting an index by the first 4 bytes first keeps 10^6 keys to well under a second;
 * full comparison only breaks the rare ties.
 */
function sortedWireKeys(keys: readonly TemporaryExposureKey[]): WireKey[] {
  const n = keys.length;
  const prefix = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = keys[i].keyData;
    prefix[i] = d.length >= 4 ? ((d[0] << 24) >>> 0) + (d[1] << 16) + (d[2] << 8) + d[3] : -1;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const sorted = Array.from(order).sort(
    (a, b) => prefix[a] - prefix[b] || compareBytes(keys[a].keyData, keys[b].keyData),
  );
  const out = new Array<WireKey>(n);
  for (let i = 0; i < n; i++) out[i] = toWireKey(keys[sorted[i]]);
  return out;
}

/** export.bin = 16-byte header + TemporaryExposureKeyExport (proto2). */
export function encodeExportBin(e: TemporaryExposureKeyExport): Buffer {
  const message = {
    startTimestamp: e.startTimestamp,
    endTimestamp: e.endTimestamp,
    region: e.region,
    batchNum: e.batchNum,
    batchSize: e.batchSize,
    signatureInfos: e.signatureInfos.map((s) => ({ ...s })),
    keys: sortedWireKeys(e.keys),
    revisedKeys: sortedWireKeys(e.revisedKeys),
  };
  const body = ExportMessage.encode(message).finish();
  const out = Buffer.allocUnsafe(EXPORT_HEADER_BYTES.length + body.length);
  EXPORT_HEADER_BYTES.copy(out, 0);
  out.set(body, EXPORT_HEADER_BYTES.length);
  return out;
}

type Decoded = Record<string, unknown>;

function has(m: Decoded, field: string): boolean {
  return Object.hasOwn(m, field) && m[field] !== null && m[field] !== undefined;
}

/** fixed64 arrives as a number or a Long-like {low, high}; timestamps fit a double. */
function toSeconds(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) {
    const { low, high } = v as { low: number; high: number };
    return (high >>> 0) * 2 ** 32 + (low >>> 0);
  }
  return 0;
}

function fromWireKey(m: Decoded): TemporaryExposureKey {
  const key: {
    keyData: Uint8Array;
    rollingStartIntervalNumber: number;
    rollingPeriod: number;
    transmissionRiskLevel?: number;
    reportType?: ReportType;
    daysSinceOnsetOfSymptoms?: number;
  } = {
    keyData: has(m, 'keyData') ? (m.keyData as Uint8Array) : new Uint8Array(0),
    rollingStartIntervalNumber: has(m, 'rollingStartIntervalNumber')
      ? (m.rollingStartIntervalNumber as number)
      : 0,
    rollingPeriod: has(m, 'rollingPeriod') ? (m.rollingPeriod as number) : TEK_ROLLING_PERIOD,
  };
  if (has(m, 'transmissionRiskLevel')) key.transmissionRiskLevel = m.transmissionRiskLevel as number;
  if (has(m, 'reportType')) key.reportType = m.reportType as ReportType;
  if (has(m, 'daysSinceOnsetOfSymptoms')) key.daysSinceOnsetOfSymptoms = m.daysSinceOnsetOfSymptoms as number;
  return key;
}

function fromWireSignatureInfo(m: Decoded | undefined): SignatureInfo {
  return {
    verificationKeyVersion: m && has(m, 'verificationKeyVersion') ? (m.verificationKeyVersion as string) : '',
    verificationKeyId: m && has(m, 'verificationKeyId') ? (m.verificationKeyId as string) : '',
    signatureAlgorithm: m && has(m, 'signatureAlgorithm') ? (m.signatureAlgorithm as string) : '',
  };
}

function protoError(entry: string, error: unknown): ExportFileError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ExportFileError(
    'EXPORT_PROTO_INVALID',
    `${entry}: not a valid protobuf message (${detail})`,
    entry,
    {
      cause: error,
    },
  );
}

/** Decodes export.bin (header + proto). Throws ExportFileError on a bad header or proto. */
export function decodeExportBin(bytes: Uint8Array): TemporaryExposureKeyExport {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < EXPORT_HEADER_BYTES.length || !buf.subarray(0, 16).equals(EXPORT_HEADER_BYTES)) {
    const seen = JSON.stringify(buf.subarray(0, 16).toString('latin1'));
    throw new ExportFileError(
      'EXPORT_BAD_HEADER',
      `export.bin: header must be ${JSON.stringify(EXPORT_HEADER)}, found ${seen}`,
      'export.bin',
    );
  }
  let m: Decoded;
  try {
    m = ExportMessage.decode(buf.subarray(16)) as unknown as Decoded;
  } catch (error) {
    throw protoError('export.bin', error);
  }
  const list = (field: string) => (has(m, field) ? (m[field] as Decoded[]) : []);
  return {
    startTimestamp: toSeconds(m.startTimestamp),
    endTimestamp: toSeconds(m.endTimestamp),
    region: has(m, 'region') ? (m.region as string) : '',
    batchNum: has(m, 'batchNum') ? (m.batchNum as number) : 0,
    batchSize: has(m, 'batchSize') ? (m.batchSize as number) : 0,
    signatureInfos: list('signatureInfos').map(fromWireSignatureInfo),
    keys: list('keys').map(fromWireKey),
    revisedKeys: list('revisedKeys').map(fromWireKey),
  };
}

/** export.sig = TEKSignatureList (no header). */
export function encodeSignatureList(signatures: readonly TEKSignature[]): Buffer {
  const body = SignatureListMessage.encode({
    signatures: signatures.map((s) => ({
      signatureInfo: { ...s.signatureInfo },
      batchNum: s.batchNum,
      batchSize: s.batchSize,
      signature: s.signature,
    })),
  }).finish();
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

export function decodeSignatureList(bytes: Uint8Array): TEKSignature[] {
  let m: Decoded;
  try {
    m = SignatureListMessage.decode(bytes) as unknown as Decoded;
  } catch (error) {
    throw protoError('export.sig', error);
  }
  const sigs = has(m, 'signatures') ? (m.signatures as Decoded[]) : [];
  return sigs.map((s) => ({
    signatureInfo: fromWireSignatureInfo(has(s, 'signatureInfo') ? (s.signatureInfo as Decoded) : undefined),
    batchNum: has(s, 'batchNum') ? (s.batchNum as number) : 0,
    batchSize: has(s, 'batchSize') ? (s.batchSize as number) : 0,
    signature: has(s, 'signature') ? (s.signature as Uint8Array) : new Uint8Array(0),
  }));
}

/** Exposed for tests and tools that need one key's bytes. */
export function encodeKey(k: TemporaryExposureKey): Uint8Array {
  return KeyMessage.encode(toWireKey(k)).finish();
}
