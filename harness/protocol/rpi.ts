import { createCipheriv } from 'node:crypto';
import { TEK_ROLLING_PERIOD } from './interval.js';

export const RPI_LENGTH = 16;
const PADDED_PREFIX = Buffer.from('EN-RPI', 'ascii');
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Recently built padded-data runs, keyed by start and count. They hold no key material, and a matching
 * phone derives the same 14 days for every downloaded TEK, so most calls reuse one (gaen.md §3).
 */
const cache = new Map<string, Buffer>();
const CACHE_ENTRIES = 64;

/** PaddedData_j = "EN-RPI" ‖ 0x00×6 ‖ ENIN_j (uint32 LE), for `count` consecutive intervals. */
function paddedData(startEnin: number, count: number): Buffer {
  const cacheKey = `${startEnin}:${count}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  // Every byte is written below, so skip zero-filling (and the shared pool, to keep 4-byte alignment).
  const blocks = Buffer.allocUnsafeSlow(count * RPI_LENGTH);
  // The constant 12 bytes: one block, then doubling copies instead of a copy per block.
  blocks.fill(0, 0, RPI_LENGTH);
  PADDED_PREFIX.copy(blocks, 0);
  for (let filled = RPI_LENGTH; filled < blocks.length; filled *= 2) {
    blocks.copyWithin(filled, 0, Math.min(filled, blocks.length - filled));
  }
  if (LITTLE_ENDIAN && blocks.byteOffset % 4 === 0) {
    const words = new Uint32Array(blocks.buffer, blocks.byteOffset, count * 4);
    for (let i = 0; i < count; i++) words[i * 4 + 3] = (startEnin + i) >>> 0;
  } else {
    for (let i = 0; i < count; i++) blocks.writeUInt32LE((startEnin + i) >>> 0, i * RPI_LENGTH + 12);
  }
  // Only small runs are worth keeping: a day of one TEK is 2.3 kB.
  if (count <= 4 * TEK_ROLLING_PERIOD) {
    if (cache.size >= CACHE_ENTRIES) cache.clear();
    cache.set(cacheKey, blocks);
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
