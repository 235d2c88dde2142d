/**
 * A simulated phone: the OS's EN framework plus one app build, reaching the servers only over HTTP
 * (ServerEndpoints), like a phone. Never imports server/ or stubs/.
 */
import { keyRef } from '../protocol/key-ref.js';
import type { TemporaryExposureKey } from '../protocol/tek.js';
import type { ServerEndpoints, VerificationPublicKey } from '../stack/types.js';
import {
  type AppBuild,
  type AppConfiguration,
  apiUrl,
  appHttp,
  BUILT_IN_APP_BUILDS,
  COCOA_SUBMISSION_OUTCOMES,
  classifySubmission,
  fetchBytes,
  listJsonUrl,
  loadAppBuild,
  presentNotification,
  type SubmitScreen,
  submissionMessage,
} from './apps/index.js';
import type { Calibration } from './calibration/index.js';
import type { ExposureNotificationFramework, V1Detection, V2Detection } from './framework/index.js';
import type {
  DetectionEvidence,
  DetectionRequest,
  DeviceProfile,
  RadioHardware,
  UploadEvidence,
  UploadRequest,
} from './types.js';

/** Which EN API a phone's OS offers (cocoa.md §4.2, gaen.md §5): iOS 13.5+ v1, 13.7+ v2 windows. */
export type EnPath = 'v1' | 'v2' | 'none';

function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    const a = parts[i] ?? 0;
    if (a !== min[i]) return a > min[i];
  }
  return true;
}

/**
 * The detection path for this phone and app: a v2 app gets ExposureWindows where the OS offers them
 * (profile.enVersion 2; on iOS also ≥ 13.7), else the legacy v1 API (Chino, cocoa.md §4.2).
 */
export function detectionPath(profile: DeviceProfile, appEnApi: 1 | 2): EnPath {
  if (profile.platform === 'ios' && !versionAtLeast(profile.osVersion, [13, 5])) return 'none';
  if (appEnApi === 1) return 'v1';
  const osHasWindows =
    profile.enVersion === 2 && (profile.platform === 'android' || versionAtLeast(profile.osVersion, [13, 7]));
  return osHasWindows ? 'v2' : 'v1';
}

/**
 * Whether getDiagnosisKeys releases today's key at once (gaen.md §5 "Same-day TEK release": EN v2,
 * DP-3T iOS PR #220; on Android with EN ≥ 1.5, Google's key-server docs). Modelled for an app on
 * the EN v2 path (iOS: ENAPIVersion 2 on ≥ 13.7, cocoa.md §4.2). UNVERIFIED: whether an EN v1 app
 * on such an OS gets it too (Google enabled it per app, DP-3T/dp3t-sdk-android#231); here it does not.
 */
export function releasesSameDayKey(profile: DeviceProfile, appEnApi: 1 | 2): boolean {
  return detectionPath(profile, appEnApi) === 'v2';
}

interface ListEntry {
  readonly region: string;
  readonly url: string;
  /** Unix milliseconds (cocoa.md §1.5). */
  readonly created: number;
}

function parseList(text: string, url: string): ListEntry[] {
  const doc = JSON.parse(text) as unknown;
  if (!Array.isArray(doc)) throw new Error(`${url}: expected a JSON array`);
  return doc.map((e, i) => {
    const o = e as Record<string, unknown>;
    if (typeof o.url !== 'string' || typeof o.created !== 'number') {
      throw new Error(`${url}: entry ${i}: needs "url" (string) and "created" (number)`);
    }
    return { region: String(o.region ?? ''), url: o.url, created: o.created };
  });
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export interface PhoneParts {
  readonly profile: DeviceProfile;
  readonly framework: ExposureNotificationFramework;
  readonly calibration: Calibration;
  /** The unit's true radio hardware (radio/hardware.ts); the calibration row is the table's estimate. */
  readonly hardware: RadioHardware;
  /** Seeded bytes for the app (padding, GUIDs). */
  readonly random: (n: number) => Uint8Array;
  /** The array the framework verifies signatures against; filled from ServerEndpoints (OS configuration). */
  readonly trustedKeys: VerificationPublicKey[];
  /** Resolves the app build id (default: the built-in builds, then a module path); audits wrap it. */
  readonly resolveApp?: (id: string) => Promise<AppBuild>;
}

export class Phone {
  readonly profile: DeviceProfile;
  readonly framework: ExposureNotificationFramework;
  readonly calibration: Calibration;
  readonly hardware: RadioHardware;
  private readonly random: (n: number) => Uint8Array;
  private readonly trustedKeys: VerificationPublicKey[];
  private appBuild: AppBuild | undefined;
  private readonly resolveApp: (id: string) => Promise<AppBuild>;
  /** list.json bookkeeping: max `created` processed, per region (cocoa.md §1.5). */
  private readonly lastProcessedCreated = new Map<string, number>();
  /** What the app stored over all checks (count on the contact screen). */
  private readonly exposures: Readonly<Record<string, unknown>>[] = [];
  /** The submit screen the user is on: kept across failed attempts, new after an accepted one. */
  private screen: SubmitScreen = {};

  constructor(parts: PhoneParts) {
    this.profile = parts.profile;
    this.framework = parts.framework;
    this.calibration = parts.calibration;
    this.hardware = parts.hardware;
    this.random = parts.random;
    this.trustedKeys = parts.trustedKeys;
    this.resolveApp = parts.resolveApp ?? loadAppBuild;
    if (!parts.resolveApp) this.appBuild = BUILT_IN_APP_BUILDS[parts.profile.app];
  }

  get id(): string {
    return this.profile.id;
  }

  /** The phone's clock for a true time (clock skew offsets its own timestamps). */
  localTime(trueEpochSeconds: number): number {
    return trueEpochSeconds + this.profile.clockSkewSeconds;
  }

  async app(): Promise<AppBuild> {
    this.appBuild ??= await this.resolveApp(this.profile.app);
    return this.appBuild;
  }

  exposureCount(): number {
    return this.exposures.length;
  }

  /**
   * The phone has already processed every list.json entry up to `created` (Unix ms): it has been
   * running before the scenario began, as a real phone has (cocoa.md §1.5 bookkeeping).
   */
  markProcessedUpTo(region: string, created: number): void {
    this.lastProcessedCreated.set(region, Math.max(this.lastProcessedCreated.get(region) ?? 0, created));
  }

  private configureOs(server: ServerEndpoints): void {
    this.trustedKeys.splice(0, this.trustedKeys.length, ...server.verificationKeys);
  }

  async uploadDiagnosis(req: UploadRequest): Promise<UploadEvidence> {
    const app = await this.app();
    const now = this.localTime(req.nowEpochSeconds);
    const http = appHttp(req.server);
    const keys: TemporaryExposureKey[] = this.framework.getDiagnosisKeys(now, {
      includeCurrentDay: releasesSameDayKey(this.profile, app.enApi),
    });
    let prepared: Awaited<ReturnType<AppBuild['prepareUpload']>>;
    try {
      prepared = await app.prepareUpload(keys, {
        platform: this.profile.platform,
        processingNumber: req.processingNumber,
        nowEpochSeconds: now,
        diagnosisDate: req.diagnosisDate,
        hasSymptom: req.hasSymptom,
        server: req.server,
        random: this.random,
        http,
        screen: this.screen,
      });
    } catch (error) {
      const status = (error as { status?: number }).status ?? null;
      return {
        ok: false,
        endpoint: 'register',
        httpStatus: status,
        keysSubmitted: 0,
        keys: [],
        transmissionRiskLevels: [],
        appMessage: submissionMessage(status),
        outcome: classifySubmission(app.submissionOutcomes ?? COCOA_SUBMISSION_OUTCOMES, status),
        error: errorText(error),
      };
    }
    let status: number | null = null;
    let error: string | undefined;
    try {
      const res = await http.request(
        'PUT',
        apiUrl(req.server, prepared.endpoint),
        prepared.body,
        prepared.headers,
      );
      status = res.status;
      if (status !== 200 && status !== 204) error = `HTTP ${status}: ${res.text.slice(0, 200)}`;
    } catch (e) {
      error = errorText(e);
    }
    const ok = status === 200 || status === 204;
    if (ok) this.screen = {};
    return {
      ok,
      endpoint: prepared.endpoint,
      httpStatus: status,
      keysSubmitted: prepared.keys.length,
      keys: prepared.keys.map(keyRef),
      submittedKeys: prepared.keys.map((k) => ({
        keyHex: Buffer.from(k.keyData).toString('hex'),
        rollingStartIntervalNumber: k.rollingStartIntervalNumber,
        rollingPeriod: k.rollingPeriod,
      })),
      transmissionRiskLevels: prepared.transmissionRiskLevels,
      appMessage: submissionMessage(status),
      outcome: classifySubmission(app.submissionOutcomes ?? COCOA_SUBMISSION_OUTCOMES, status),
      ...(error === undefined ? {} : { error }),
    };
  }

  async detectExposures(req: DetectionRequest): Promise<DetectionEvidence> {
    if (!this.profile.backgroundCheckRuns && !req.forced) {
      return notRun(
        'background check does not run (battery optimisation or similar) and the check was not forced',
      );
    }
    const app = await this.app();
    const path = detectionPath(this.profile, app.enApi);
    if (path === 'none')
      return notRun(`${this.profile.platform} ${this.profile.osVersion} has no Exposure Notification API`);
    const now = this.localTime(req.nowEpochSeconds);
    const http = appHttp(req.server);
    const config = await app.fetchConfiguration(req.server, http);
    const threshold =
      path === 'v2'
        ? (config.v2?.riskCalculation.scoreSum.value ?? 0)
        : config.v1[this.profile.platform].minimumRiskScore;
    const configuration = configurationEvidence(config);

    // Links 5: list.json, then every entry created after the last processed one (cocoa.md §1.5).
    const listUrl = listJsonUrl(req.server);
    let entries: ListEntry[];
    const files: Uint8Array[] = [];
    const region = req.server.region;
    const last = this.lastProcessedCreated.get(region) ?? 0;
    let fresh: ListEntry[] = [];
    try {
      const res = await http.request('GET', listUrl);
      if (res.status !== 200) throw new Error(`GET ${listUrl}: HTTP ${res.status}`);
      entries = parseList(res.text, listUrl);
      fresh = entries.filter((e) => e.created > last);
      for (const e of fresh) {
        const got = await fetchBytes(req.server, e.url);
        if (got.status !== 200) throw new Error(`GET ${e.url}: HTTP ${got.status}`);
        files.push(got.bytes);
      }
    } catch (error) {
      return { ...downloadFailed(path, threshold, errorText(error), config), configuration };
    }
    const newest = fresh.reduce((m, e) => Math.max(m, e.created), last);
    if (!app.saveLastProcessedOnlyAfterSuccess) this.lastProcessedCreated.set(region, newest);

    // Links 6–7: the OS verifies, matches and scores.
    this.configureOs(req.server);
    const output =
      path === 'v2'
        ? this.framework.detectV2({
            files,
            mapping: requireV2(config).mapping[this.profile.platform],
            configuration:
              this.profile.platform === 'android' ? requireV2(config).android : requireV2(config).ios,
            nowEpochSeconds: now,
          })
        : this.framework.detectV1({
            files,
            configuration: config.v1[this.profile.platform],
            nowEpochSeconds: now,
          });
    if (output.kind === 'quota-exceeded')
      return notRun(`${output.code}: ${output.reason}`, this.exposures.length);
    // The call failed as a whole: the batch stays unprocessed for builds that save only after success.
    if (output.kind === 'detection-failed') {
      const failed = downloadFailed(path, threshold, `${output.code}: ${output.reason}`, config);
      const rejected = new Set(output.download.rejectReasons.map((r) => r.file));
      return {
        ...failed,
        configuration,
        download: {
          ...failed.download,
          listEntries: entries.length,
          filesFetched: files.length,
          files: fresh.map((e, i) => ({ url: e.url, verified: !rejected.has(i) })),
        },
        notify: { ...failed.notify, exposureCount: this.exposures.length, reason: 'detection failed' },
      };
    }
    if (app.saveLastProcessedOnlyAfterSuccess) this.lastProcessedCreated.set(region, newest);

    // Link 7: the app decides; link 8: what it then shows the user, observed apart from the decision.
    const decision = app.decide(output, config, now);
    this.exposures.push(...decision.stored);
    const shown = (app.present ?? presentNotification)(decision, this.exposures, now);
    const report = output.download;
    const rejected = new Map(report.rejectReasons.map((r) => [r.file, r.code]));
    return {
      ran: true,
      configuration,
      download: {
        ok: true,
        listEntries: entries.length,
        filesFetched: files.length,
        keysDownloaded: report.keysRead,
        signatureVerified: files.length > 0 && report.filesRejected === 0,
        files: fresh.map((e, i) => {
          const code = rejected.get(i);
          return { url: e.url, verified: code === undefined, ...(code ? { rejectedAs: code } : {}) };
        }),
        ...(report.filesRejected > 0
          ? { error: report.rejectReasons.map((r) => `file ${r.file}: ${r.code} ${r.reason}`).join('; ') }
          : {}),
      },
      match: {
        matchedKeyCount: output.matchedKeyCount,
        matchedTransmissionRiskLevels: output.matchedKeys.map((k) => k.transmissionRiskLevel),
      },
      score: {
        mode: decision.mode,
        value: decision.value,
        threshold: decision.threshold,
        passed: decision.passed,
        // A fallback is part of the evidence, not a silent substitution.
        explanation:
          configuration.status === 'fallback'
            ? `${configuration.source}; ${decision.explanation}`
            : decision.explanation,
        raw: rawOutput(output, config),
      },
      notify: { notified: shown.shown, exposureCount: shown.exposureCount, reason: shown.reason },
    };
  }
}

/** Overall status of the documents the app read for this check. */
function configurationEvidence(config: AppConfiguration): NonNullable<DetectionEvidence['configuration']> {
  const statuses = config.documents.map((d) => d.status);
  const status = statuses.includes('fallback')
    ? 'fallback'
    : statuses.includes('served')
      ? 'served'
      : 'built-in';
  return { status, source: config.source };
}

function requireV2(config: AppConfiguration): NonNullable<AppConfiguration['v2']> {
  if (!config.v2) throw new Error('the app fetched no EN v2 configuration');
  return config.v2;
}

/** Serialisable framework output for the report (sightings left out: they are bulky). */
function rawOutput(o: V1Detection | V2Detection, config: AppConfiguration): Record<string, unknown> {
  const matchedKeys = o.matchedKeys.map((k) => ({
    keyHex: k.keyHex,
    rollingStartIntervalNumber: k.rollingStartIntervalNumber,
    transmissionRiskLevel: k.transmissionRiskLevel,
    reportType: k.reportType,
    sightings: k.sightings.length,
  }));
  const base = { configurationSource: config.source, download: o.download, matchedKeys };
  return o.kind === 'v1'
    ? { ...base, summary: o.summary, informations: o.informations }
    : { ...base, exposureWindows: o.exposureWindows, dailySummaries: o.dailySummaries };
}

const emptyDownload = {
  ok: false,
  listEntries: 0,
  filesFetched: 0,
  keysDownloaded: 0,
  signatureVerified: false,
  files: [],
};

function notRun(reason: string, exposureCount = 0): DetectionEvidence {
  return {
    ran: false,
    notRunReason: reason,
    download: emptyDownload,
    match: { matchedKeyCount: 0, matchedTransmissionRiskLevels: [] },
    score: { mode: 'v1', value: 0, threshold: 0, passed: false, explanation: `not run: ${reason}`, raw: {} },
    notify: { notified: false, exposureCount, reason },
  };
}

function downloadFailed(
  mode: 'v1' | 'v2',
  threshold: number,
  error: string,
  config: AppConfiguration,
): DetectionEvidence {
  return {
    ran: true,
    download: { ...emptyDownload, error },
    match: { matchedKeyCount: 0, matchedTransmissionRiskLevels: [] },
    score: {
      mode,
      value: 0,
      threshold,
      passed: false,
      explanation: `download failed: ${error}`,
      raw: { configurationSource: config.source },
    },
    notify: { notified: false, exposureCount: 0, reason: 'download failed' },
  };
}
