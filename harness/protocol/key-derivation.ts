import { hkdfSync } from 'node:crypto';

/** HKDF-SHA256 with no salt and 16-byte output (gaen.md §1). Node treats an empty salt as HashLen zeros. */
function hkdf16(tek: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', tek, Buffer.alloc(0), info, 16));
}

/** Rolling Proximity Identifier Key. */
export function deriveRpik(tek: Uint8Array): Buffer {
  return hkdf16(tek, 'EN-RPIK');
}

/** Associated Encrypted Metadata Key. */
export function deriveAemk(tek: Uint8Array): Buffer {
  return hkdf16(tek, 'EN-AEMK');
}
