/**
 * What a phone's scanner keeps of one received advertisement (gaen.md §3 "What a sighting stores").
 * Shared by the radio (which produces sightings) and the framework (which matches them).
 */
export interface Sighting {
  /** 16-byte Rolling Proximity Identifier as received. */
  readonly rpi: Uint8Array;
  /** 4-byte Associated Encrypted Metadata as received (still encrypted). */
  readonly aem: Uint8Array;
  /** Calibrated RSSI in dBm: raw RSSI + the receiver's RSSI correction, clamped to [-127, 126]. */
  readonly rssi: number;
  /** Receiver's clock, Unix seconds, when the advertisement was heard. */
  readonly epochSeconds: number;
  /** End of the receiver's previous scan, Unix seconds; 0 when unknown (BleScannerImpl). */
  readonly previousScanEpochSeconds: number;
}
