/**
 * The radio fit: log-distance path loss and noise per environment, fitted to published measurements
 * (fixtures/radio/measurements.json) and kept as data (fixtures/radio/fit.json). `fitLogDistance`
 * recomputes the fit so a test can check the stored numbers against the cited figures.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const sigma = z.number().min(0);

const measurementsSchema = z.object({
  medians: z.array(
    z.object({
      source: z.string(),
      environment: z.string(),
      distanceM: z.number().positive(),
      attenuationDb: z.number(),
    }),
  ),
  spreads: z.array(
    z.object({
      source: z.string(),
      environment: z.string(),
      distanceM: z.number().positive(),
      sigmaDb: sigma,
      over: z.enum(['advertisements', 'encounters']),
    }),
  ),
  sensitivity: z.object({ rangeDbm: z.tuple([z.number(), z.number()]), chosenDbm: z.number() }),
  radiatedPower: z.object({ androidDbm: z.number(), iosDbm: z.number() }),
});

const environmentSchema = z.object({
  /** Mean attenuation at 1 m, dB. */
  a1Db: z.number(),
  /** Log-distance exponent n: attenuation grows by 10·n dB per decade of distance. */
  exponent: z.number().min(0),
  /** σ of the per-encounter offset (how the phones sit for the whole encounter), dB. */
  encounterSigmaDb: sigma,
  /** σ of the per-scan noise (movement between scans), dB. */
  scanSigmaDb: sigma,
  /** σ of the per-advertisement noise (fast fading within a scan), dB. */
  advertSigmaDb: sigma,
  /** The measurement group the level and slope were fitted to, or null (UNVERIFIED). */
  fittedTo: z.string().nullable(),
  provenance: z.string(),
});

const fitSchema = z.object({
  environments: z.record(z.string(), environmentSchema),
});

export type Measurements = z.infer<typeof measurementsSchema>;
export type FittedEnvironment = z.infer<typeof environmentSchema>;

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/radio/${name}`, import.meta.url), 'utf8'));

export const MEASUREMENTS: Measurements = measurementsSchema.parse(read('measurements.json'));
export const FIT: Readonly<Record<string, FittedEnvironment>> = fitSchema.parse(
  read('fit.json'),
).environments;

/** Least squares of attenuation on 10·log10(d): the level at 1 m and the exponent n. */
export function fitLogDistance(points: readonly { distanceM: number; attenuationDb: number }[]): {
  a1Db: number;
  exponent: number;
} {
  const xs = points.map((p) => 10 * Math.log10(p.distanceM));
  const ys = points.map((p) => p.attenuationDb);
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
  });
  const exponent = sxy / sxx;
  return { a1Db: my - exponent * mx, exponent };
}
