/**
 * Bluetooth metadata carried (encrypted) in the AEM: byte0 version, byte1 TX power (int8 dBm),
 * bytes 2–3 reserved (gaen.md §1, BluetoothMetadata.java).
 */
export type CalibrationConfidence = 0 | 1 | 2 | 3;

export interface BluetoothMetadata {
  /** '1.0' = 0x40; '1.1' = 0x50 with calibration confidence in bits 3:2. */
  readonly version: '1.0' | '1.1';
  readonly txPower: number;
  readonly calibrationConfidence: CalibrationConfidence;
}

export const METADATA_LENGTH = 4;

export function encodeMetadata(meta: BluetoothMetadata): Buffer {
  if (!Number.isInteger(meta.txPower) || meta.txPower < -128 || meta.txPower > 127) {
    throw new RangeError(`txPower must be an int8 in dBm, got ${meta.txPower}`);
  }
  const out = Buffer.alloc(METADATA_LENGTH);
  out[0] = meta.version === '1.0' ? 0x40 : 0x50 | ((meta.calibrationConfidence << 2) & 0x0c);
  out.writeInt8(meta.txPower, 1);
  return out;
}

export function decodeMetadata(bytes: Uint8Array): BluetoothMetadata {
  if (bytes.length !== METADATA_LENGTH) throw new RangeError(`metadata must be 4 bytes, got ${bytes.length}`);
  const major = bytes[0] >> 6;
  const minor = (bytes[0] >> 4) & 0x03;
  const txPower = Buffer.from(bytes).readInt8(1);
  if (major === 1 && minor >= 1) {
    return {
      version: '1.1',
      txPower,
      calibrationConfidence: ((bytes[0] >> 2) & 0x03) as CalibrationConfidence,
    };
  }
  // v1.0 carries no confidence: the receiver treats it as the lowest.
  return { version: '1.0', txPower, calibrationConfidence: 0 };
}
