/** FNV-1a: a stable 32-bit seed per cell from the run seed and the cell id. */
export function cellSeed(runSeed: number, cellId: string): number {
  let h = 0x811c9dc5 ^ (runSeed >>> 0);
  for (let i = 0; i < cellId.length; i++) {
    h ^= cellId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
