import { randomBytes } from 'node:crypto';

/** Builders of diagnosis bodies for tests and the benchmark (cocoa.md §1.2 shapes). */
const DAY_INTERVALS = 144;

export function todayInterval(nowMs = Date.now()): number {
  return Math.floor(nowMs / 600_000 / DAY_INTERVALS) * DAY_INTERVALS;
}

export interface WireKeyInput {
  keyData?: string;
  daysAgo?: number;
  rollingPeriod?: number;
  transmissionRisk?: number;
  reportType?: number;
}

export function wireKey(k: WireKeyInput = {}, nowMs = Date.now()) {
  return {
    keyData: k.keyData ?? randomBytes(16).toString('base64'),
    rollingStartNumber: todayInterval(nowMs) - (k.daysAgo ?? 1) * DAY_INTERVALS,
    rollingPeriod: k.rollingPeriod ?? 144,
    ...(k.transmissionRisk !== undefined ? { transmissionRisk: k.transmissionRisk } : {}),
    ...(k.reportType !== undefined ? { reportType: k.reportType } : {}),
  };
}

const common = (processingNumber: string) => ({
  regions: ['440'],
  platform: 'android',
  deviceVerificationPayload: 'device-token',
  appPackageName: 'jp.go.mhlw.covid19radar',
  verificationPayload: processingNumber,
  padding: randomBytes(1200).toString('base64'),
});

export function v1Body(processingNumber: string, keys = [wireKey({ transmissionRisk: 0 })]) {
  return { userUuid: 'a'.repeat(32), keys, ...common(processingNumber) };
}

export function v2Body(processingNumber: string, keys = [wireKey()]) {
  return { keys, ...common(processingNumber) };
}

/** v3 with onset `onsetDaysAgo` days before today (UTC midnight, +09:00 written as COCOA does). */
export function v3Body(
  processingNumber: string,
  keys = [wireKey({ reportType: 1 })],
  opts: { hasSymptom?: boolean; onsetDaysAgo?: number; idempotencyKey?: string; nowMs?: number } = {},
) {
  const onsetMs = (todayInterval(opts.nowMs) - (opts.onsetDaysAgo ?? 2) * DAY_INTERVALS) * 600_000;
  return {
    hasSymptom: opts.hasSymptom ?? true,
    onsetOfSymptomOrTestDate: new Date(onsetMs).toISOString().replace('Z', '+00:00'),
    keys,
    idempotency_key: opts.idempotencyKey ?? '6f2a1c3e-1111-4222-8333-944455556666',
    ...common(processingNumber),
  };
}
