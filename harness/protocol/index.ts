/** The GAEN protocol: crypto (gaen.md §1) and export files (gaen.md §2). */
export * from './aem.js';
export * from './export/index.js';
export * from './interval.js';
export * from './key-derivation.js';
export * from './key-ref.js';
export * from './metadata.js';
export * from './rpi.js';
export * from './tek.js';
