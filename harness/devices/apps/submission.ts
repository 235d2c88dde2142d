/** Building diagnosis submissions as the COCOA builds do (cocoa.md §1.2). */
import type { TemporaryExposureKey } from '../../protocol/tek.js';
import type { UploadContext } from './types.js';

export const APP_PACKAGE_NAME = 'jp.go.mhlw.covid19radar';
const DAY = 86_400;

/** Padding: 1024–2048 random bytes × 0.75, base64 (cocoa.md §1.2). */
export function padding(random: (n: number) => Uint8Array): string {
  const r = Buffer.from(random(2)).readUInt16LE(0) % 1024;
  return Buffer.from(random(Math.floor((1024 + r) * 0.75))).toString('base64');
}

/** A GUID (idempotency_key) from seeded bytes, RFC 4122 v4 layout. */
export function guid(random: (n: number) => Uint8Array): string {
  const b = Buffer.from(random(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Placeholder device-verification token; the reference server validates it only when enabled (§1.4). */
export const deviceVerificationPayload = (ctx: UploadContext): string =>
  ctx.platform === 'android' ? 'simulated-safetynet-jws' : 'simulated-devicecheck-token';

const rollingStartSeconds = (k: TemporaryExposureKey): number => k.rollingStartIntervalNumber * 600;

/** JST midnight of a "YYYY-MM-DD" date, Unix seconds; today's JST date when absent. */
export function jstDate(ctx: UploadContext): string {
  if (ctx.diagnosisDate !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(ctx.diagnosisDate)) {
      throw new RangeError(`diagnosisDate must be YYYY-MM-DD, got "${ctx.diagnosisDate}"`);
    }
    return ctx.diagnosisDate;
  }
  return new Date((ctx.nowEpochSeconds + 9 * 3600) * 1000).toISOString().slice(0, 10);
}
export const jstMidnight = (date: string): number => Date.parse(`${date}T00:00:00+09:00`) / 1000;

/** Key filters, as the builds' `DaysToSendTek` / `OutOfDateDays` (cocoa.md §1.2). */
export const keysNewerThanDays = (keys: readonly TemporaryExposureKey[], now: number, days: number) =>
  keys.filter((k) => rollingStartSeconds(k) >= now - days * DAY);
export const keysSinceDiagnosisMinusDays = (
  keys: readonly TemporaryExposureKey[],
  ctx: UploadContext,
  days: number,
) => {
  const from = jstMidnight(jstDate(ctx)) - days * DAY;
  return keys.filter((k) => rollingStartSeconds(k) >= from);
};

export const keyData = (k: TemporaryExposureKey): string => Buffer.from(k.keyData).toString('base64');
