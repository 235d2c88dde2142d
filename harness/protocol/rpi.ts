import { createCipheriv } from 'node:crypto';
import { TEK_ROLLING_PERIOD } from './interval.js';

export const RPI_LENGTH = 16;
const PADDED_PREFIX = Buffer.from('EN-RPI', 'ascii');

/** PaddedData_j = "EN-RPI" ‖ 0x00×6 ‖ ENIN_j (uint32 LE), for `count` consecutive intervals. */
function paddedData(startEnin: number, count: number): Buffer {
  const blocks = Buffer.alloc(count * RPI_LENGTH);
  for (let i = 0; i < count; i++) {
    const offset = i * RPI_LENGTH;
    PADDED_PREFIX.copy(blocks, offset);
    blocks.writeUInt32LE((startEnin + i) >>> 0, offset + 12);
  }
  return blocks;
}

/**
 * RPIs for `count` consecutive intervals from `startEnin`, concatenated (16 bytes each).
 * One AES-128-ECB call over all padded blocks: ECB encrypts blocks independently, so this equals
 * per-interval encryption while paying cipher set-up once (population runs derive millions).
 */
export function deriveRpis(rpik: Uint8Array, startEnin: number, count: number = TEK_ROLLING_PERIOD): Buffer {
  const cipher = createCipheriv('aes-128-ecb', rpik, null);
  cipher.setAutoPadding(false);
  const out = cipher.update(paddedData(startEnin, count));
  cipher.final();
  return out;
}

/** The RPI broadcast during interval `enin`. */
export function deriveRpi(rpik: Uint8Array, enin: number): Buffer {
  return deriveRpis(rpik, enin, 1);
}

/** The i-th RPI of a batch returned by `deriveRpis`, without copying. */
export function rpiAt(rpis: Buffer, i: number): Buffer {
  return rpis.subarray(i * RPI_LENGTH, (i + 1) * RPI_LENGTH);
}
