/**
 * A simulated phone: the OS's EN framework plus the app it runs, reaching the servers only over HTTP
 * (ServerEndpoints), like a phone. Never imports server/ or stubs/. Every app, built-in or external,
 * is driven through the app protocol (app-protocol/): the phone sends user actions and background
 * runs, answers the app's framework calls, and builds the evidence from its own observations.
 */
import { keyRef } from '../protocol/key-ref.js';
import type { VerificationPublicKey } from '../stack/types.js';
import { fromWireKey } from './app-protocol/builtin-app.js';
import { PhoneFrameworkHost, type ProvideObservation } from './app-protocol/framework-host.js';
import type { DetectExposuresResult } from './app-protocol/messages.js';
import {
  type AppDeclaration,
  isExternalApp,
  type OpenedApp,
  openBuiltinApp,
  openExternalApp,
} from './app-protocol/open.js';
import { trlText } from './apps/decide.js';
import { type AppBuild, BUILT_IN_APP_BUILDS, loadAppBuild } from './apps/index.js';
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
  /** Resolves a built-in or module app build by id (default: the built-in builds, then a module path); audits wrap it. */
  readonly resolveApp?: (id: string) => Promise<AppBuild>;
}

/** The EN API the OS offers an app: 2 where it has ExposureWindows, 1 the v1 API only, 0 none. */
export const enApiOffered = (profile: DeviceProfile): 0 | 1 | 2 => {
  const path = detectionPath(profile, 2);
  return path === 'v2' ? 2 : path === 'v1' ? 1 : 0;
};

let sessions = 0;

export class Phone {
  readonly profile: DeviceProfile;
  readonly framework: ExposureNotificationFramework;
  readonly calibration: Calibration;
  readonly hardware: RadioHardware;
  private readonly random: (n: number) => Uint8Array;
  private readonly trustedKeys: VerificationPublicKey[];
  private readonly resolveApp: (id: string) => Promise<AppBuild>;
  /** The OS side of the app protocol: answers the app's framework calls, records what it saw. */
  private readonly host: PhoneFrameworkHost;
  private opened: Promise<{ readonly app: OpenedApp; readonly session: string }> | undefined;
  /** The phone's local time of the action in progress (the framework's clock for the app's calls). */
  private now = 0;
  private declaration: AppDeclaration | undefined;
  private server: { verificationKeys: readonly VerificationPublicKey[] } = { verificationKeys: [] };
  /** list.json entries processed before the scenario began, per region (Unix ms, cocoa.md §1.5). */
  private readonly processedUpTo: Record<string, number> = {};
  /** Exposures on the app's contact screen, as it last said. */
  private exposures = 0;

  constructor(parts: PhoneParts) {
    this.profile = parts.profile;
    this.framework = parts.framework;
    this.calibration = parts.calibration;
    this.hardware = parts.hardware;
    this.random = parts.random;
    this.trustedKeys = parts.trustedKeys;
    this.resolveApp = parts.resolveApp ?? (async (id) => BUILT_IN_APP_BUILDS[id] ?? (await loadAppBuild(id)));
    this.host = new PhoneFrameworkHost(this.framework, {
      now: () => this.now,
      includeCurrentDay: () => releasesSameDayKey(this.profile, this.declaration?.enApi ?? 1),
      enApiOffered: () => enApiOffered(this.profile),
      configureOs: () => this.trustedKeys.splice(0, this.trustedKeys.length, ...this.server.verificationKeys),
    });
  }

  get id(): string {
    return this.profile.id;
  }

  /** The phone's clock for a true time (clock skew offsets its own timestamps). */
  localTime(trueEpochSeconds: number): number {
    return trueEpochSeconds + this.profile.clockSkewSeconds;
  }

  /** What the app declared at its handshake (EN API, traits); starts it when needed. */
  async app(): Promise<AppDeclaration> {
    return (await this.openApp()).declaration;
  }

  private async openApp(): Promise<OpenedApp> {
    const id = this.profile.app;
    return isExternalApp(id)
      ? openExternalApp(id)
      : openBuiltinApp(await this.resolveApp(id), () => this.random);
  }

  /** The app, started for this phone with `phone/initialize` on the first action. */
  private session(req: { server: UploadRequest['server'] }, now: number) {
    this.server = req.server;
    this.opened ??= (async () => {
      const app = await this.openApp();
      this.declaration = app.declaration;
      const session = `${this.profile.id}#${++sessions}`;
      app.endpoint.attach(session, this.host);
      const { verificationKeys: _, ...server } = req.server;
      await app.endpoint.request('phone/initialize', {
        phone: session,
        platform: this.profile.platform,
        osVersion: this.profile.osVersion,
        model: this.profile.model,
        enApiOffered: enApiOffered(this.profile),
        server,
        nowEpochSeconds: now,
        processedUpTo: { ...this.processedUpTo },
      });
      return { app, session };
    })();
    return this.opened;
  }

  /** Ends the app's session for this phone (`phone/shutdown`); an in-process app is closed. */
  async close(): Promise<void> {
    const opened = await this.opened?.catch(() => undefined);
    this.opened = undefined;
    if (!opened) return;
    await opened.app.endpoint.request('phone/shutdown', { phone: opened.session }).catch(() => undefined);
    opened.app.endpoint.detach(opened.session);
    if (!isExternalApp(this.profile.app)) await opened.app.endpoint.close();
  }

  exposureCount(): number {
    return this.exposures;
  }

  /**
   * The phone has already processed every list.json entry up to `created` (Unix ms): it has been
   * running before the scenario began, as a real phone has (cocoa.md §1.5 bookkeeping). Handed to the
   * app with `phone/initialize`, so it must come before the first action.
   */
  markProcessedUpTo(region: string, created: number): void {
    this.processedUpTo[region] = Math.max(this.processedUpTo[region] ?? 0, created);
  }

  async uploadDiagnosis(req: UploadRequest): Promise<UploadEvidence> {
    const now = this.localTime(req.nowEpochSeconds);
    const { app, session } = await this.session(req, now);
    this.now = now;
    this.host.reset();
    const r = await app.endpoint.request('user/submitDiagnosis', {
      phone: session,
      nowEpochSeconds: now,
      processingNumber: req.processingNumber,
      ...(req.diagnosisDate === undefined ? {} : { diagnosisDate: req.diagnosisDate }),
      ...(req.hasSymptom === undefined ? {} : { hasSymptom: req.hasSymptom }),
    });
    const keys = r.submittedKeys.map(fromWireKey);
    const sent = r.endpoint !== 'register' || keys.length > 0;
    return {
      ok: r.httpStatus === 200 || r.httpStatus === 204,
      endpoint: r.endpoint,
      httpStatus: r.httpStatus,
      keysSubmitted: keys.length,
      keys: keys.map(keyRef),
      ...(sent
        ? {
            submittedKeys: keys.map((k) => ({
              keyHex: Buffer.from(k.keyData).toString('hex'),
              rollingStartIntervalNumber: k.rollingStartIntervalNumber,
              rollingPeriod: k.rollingPeriod,
            })),
          }
        : {}),
      transmissionRiskLevels: r.submittedKeys.flatMap((k) =>
        k.transmissionRiskLevel === undefined ? [] : [k.transmissionRiskLevel],
      ),
      appMessage: r.message,
      outcome: r.outcome,
      ...(r.error === undefined ? {} : { error: r.error }),
    };
  }

  async detectExposures(req: DetectionRequest): Promise<DetectionEvidence> {
    if (!this.profile.backgroundCheckRuns && !req.forced) {
      return notRun(
        'background check does not run (battery optimisation or similar) and the check was not forced',
      );
    }
    if (enApiOffered(this.profile) === 0)
      return notRun(`${this.profile.platform} ${this.profile.osVersion} has no Exposure Notification API`);
    const now = this.localTime(req.nowEpochSeconds);
    const { app, session } = await this.session(req, now);
    this.now = now;
    this.host.reset();
    const r = await app.endpoint.request('background/detectExposures', {
      phone: session,
      nowEpochSeconds: now,
    });
    this.exposures = r.exposureCount;
    return detectionEvidence(r, this.host.provided.at(-1), this.host.notifications.length > 0);
  }
}

/** Links 5–8 from the app's report of its background run and the OS's own observations. */
function detectionEvidence(
  r: DetectExposuresResult,
  seen: ProvideObservation | undefined,
  notified: boolean,
): DetectionEvidence {
  const configuration = configurationEvidence(r.configuration);
  const out = seen?.output;
  if (out?.kind === 'quota-exceeded') return notRun(`${out.code}: ${out.reason}`, r.exposureCount);
  if (r.download.error !== undefined)
    return {
      ...downloadFailed(r.mode, r.threshold, r.download.error, r.configuration.source),
      configuration,
    };
  const files = r.download.files;
  if (out?.kind === 'detection-failed' || out?.kind === 'not-available') {
    const why =
      out.kind === 'detection-failed' ? `${out.code}: ${out.reason}` : `EN_API_NOT_AVAILABLE: ${out.reason}`;
    const failed = downloadFailed(r.mode, r.threshold, why, r.configuration.source);
    const rejected = new Set(
      out.kind === 'detection-failed' ? out.download.rejectReasons.map((x) => x.file) : [],
    );
    return {
      ...failed,
      configuration,
      download: {
        ...failed.download,
        listEntries: r.download.listEntries,
        filesFetched: files.length,
        files: files.map((url, i) => ({ url, verified: !rejected.has(i) })),
      },
      notify: { ...failed.notify, exposureCount: r.exposureCount, reason: 'detection failed' },
    };
  }
  const report = out?.download ?? { filesAccepted: 0, filesRejected: 0, rejectReasons: [], keysRead: 0 };
  const rejected = new Map(report.rejectReasons.map((x) => [x.file, x.code]));
  const osText =
    out === undefined
      ? 'the app did not provide the keys to the framework'
      : out.kind === 'v1' && seen?.v1Configuration
        ? `${out.matchedKeyCount} matched key(s), ${trlText(out, seen.v1Configuration)}`
        : `${out.matchedKeyCount} matched key(s)`;
  const decision = r.decision ?? {
    value: 0,
    passed: false,
    explanation: 'the app made no decision',
    stored: [],
  };
  const explanation = `${osText}; ${decision.explanation}`;
  return {
    ran: true,
    configuration,
    download: {
      ok: true,
      listEntries: r.download.listEntries,
      filesFetched: files.length,
      keysDownloaded: report.keysRead,
      signatureVerified: files.length > 0 && report.filesRejected === 0,
      files: files.map((url, i) => {
        const code = rejected.get(i);
        return { url, verified: code === undefined, ...(code ? { rejectedAs: code } : {}) };
      }),
      ...(report.filesRejected > 0
        ? { error: report.rejectReasons.map((x) => `file ${x.file}: ${x.code} ${x.reason}`).join('; ') }
        : {}),
    },
    match: {
      matchedKeyCount: out?.matchedKeyCount ?? 0,
      matchedTransmissionRiskLevels: out?.matchedKeys.map((k) => k.transmissionRiskLevel) ?? [],
    },
    score: {
      mode: r.mode,
      value: decision.value,
      threshold: r.threshold,
      passed: decision.passed,
      // A fallback is part of the evidence, not a silent substitution.
      explanation:
        configuration.status === 'fallback' ? `${configuration.source}; ${explanation}` : explanation,
      raw: out ? rawOutput(out, r.configuration.source) : { configurationSource: r.configuration.source },
    },
    notify: { notified, exposureCount: r.exposureCount, reason: r.reason },
  };
}

/** Overall status of the documents the app read for this check. */
function configurationEvidence(
  config: DetectExposuresResult['configuration'],
): NonNullable<DetectionEvidence['configuration']> {
  const statuses = config.documents.map((d) => d.status);
  const status = statuses.includes('fallback')
    ? 'fallback'
    : statuses.includes('served')
      ? 'served'
      : 'built-in';
  return { status, source: config.source };
}

/** Serialisable framework output for the report (sightings left out: they are bulky). */
function rawOutput(o: V1Detection | V2Detection, configurationSource: string): Record<string, unknown> {
  const matchedKeys = o.matchedKeys.map((k) => ({
    keyHex: k.keyHex,
    rollingStartIntervalNumber: k.rollingStartIntervalNumber,
    transmissionRiskLevel: k.transmissionRiskLevel,
    reportType: k.reportType,
    sightings: k.sightings.length,
  }));
  const base = { configurationSource, download: o.download, matchedKeys };
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
  configurationSource: string,
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
      raw: { configurationSource },
    },
    notify: { notified: false, exposureCount: 0, reason: 'download failed' },
  };
}
