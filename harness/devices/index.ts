/** Simulated phones: World, Phone, the radio and the app builds (harness/devices/README.md). */
export * from './apps/index.js';
export { detectionPath, type EnPath, Phone } from './phone.js';
export * from './radio/index.js';
export type { Sighting } from './sighting.js';
export type * from './types.js';
export { World, WorldError, type WorldOptions } from './world.js';
