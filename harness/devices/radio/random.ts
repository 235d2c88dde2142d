/** Seeded randomness for the radio: every draw is a function of the world seed and a label. */
import { createHash } from 'node:crypto';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(lo: number, hi: number): number;
  /** Normal(0, sigma) by Box–Muller. */
  normal(sigma: number): number;
}

/** mulberry32 seeded from SHA-256(label): small, fast, and reproducible across platforms. */
export function seededRng(label: string): Rng {
  let state = createHash('sha256').update(label).digest().readUInt32LE(0);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal(sigma) {
      const u = 1 - next();
      const v = next();
      return sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

/** Deterministic bytes: SHA-256(label ‖ counter) blocks, for the framework's TEKs and padding. */
export function seededBytes(label: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = Buffer.alloc(n);
    for (let off = 0; off < n; off += 32) {
      createHash('sha256')
        .update(`${label}:${counter++}`)
        .digest()
        .copy(out, off, 0, Math.min(32, n - off));
    }
    return out;
  };
}
