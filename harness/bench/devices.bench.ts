/**
 * Radio throughput: encounters (20 min, both directions, real RPI/AEM crypto) per second, and the
 * sightings they produce. Population scenarios play thousands of encounters; prints figures only.
 */
import { World } from '../devices/index.js';
import type { DeviceProfile } from '../devices/types.js';

const DAY0 = 1_601_510_400;
const PHONES = 200;
const ENCOUNTERS = 2_000;

const profile = (i: number): DeviceProfile => ({
  id: `p${i}`,
  platform: i % 2 === 0 ? 'android' : 'ios',
  osVersion: i % 2 === 0 ? '11' : '14.4',
  enVersion: 1,
  model: i % 2 === 0 ? 'Pixel 4' : 'iPhone 11',
  app: 'cocoa-1.1.4',
  backgroundCheckRuns: true,
  clockSkewSeconds: 0,
});

const world = new World({ seed: 1 });
for (let i = 0; i < PHONES; i++) world.addPhone(profile(i));
let sightings = 0;
const t0 = process.hrtime.bigint();
for (let n = 0; n < ENCOUNTERS; n++) {
  const a = n % PHONES;
  const b = (n * 7 + 1) % PHONES === a ? (a + 1) % PHONES : (n * 7 + 1) % PHONES;
  const ev = world.encounter({
    a: `p${a}`,
    b: `p${b}`,
    startEpochSeconds: DAY0 + (n % 500) * 1200,
    durationSeconds: 1200,
    distanceM: 1 + (n % 4),
    environment: 'office',
  });
  sightings += ev.sightingsAtA + ev.sightingsAtB;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(
  `encounters: ${ENCOUNTERS} (20 min each, ${PHONES} phones)  ${seconds.toFixed(2)} s  ` +
    `${(ENCOUNTERS / seconds).toFixed(0)} encounters/s  ${(sightings / seconds).toFixed(0)} sightings/s\n`,
);
