/**
 * The OS side of a phone in the app protocol: answers the app's framework calls from the simulated EN
 * framework, in the platform API's shape, and records what it saw (the files and configuration the
 * app provided, the framework's full output, the notifications shown, the app's log) as ichiren's own
 * observations for the evidence.
 */
import type {
  DetectionFailed,
  DiagnosisKeysDataMapping,
  ExposureNotificationFramework,
  QuotaExceeded,
  V1Configuration,
  V1Detection,
  V2Configuration,
  V2Detection,
} from '../framework/index.js';
import { toWireKey } from './builtin-app.js';
import type { FrameworkHost } from './endpoint.js';
import type {
  FrameworkParams,
  FrameworkResult,
  NotificationParams,
  ProvideDiagnosisKeysResult,
} from './messages.js';

/** One provideDiagnosisKeys call as the OS saw it. */
export interface ProvideObservation {
  readonly files: number;
  /** The v1 configuration the app gave (for the TRL ceiling in the evidence); absent on v2. */
  readonly v1Configuration?: V1Configuration;
  readonly output:
    | V1Detection
    | V2Detection
    | QuotaExceeded
    | DetectionFailed
    | { kind: 'not-available'; reason: string };
}

export interface HostClock {
  /** The phone's local time of the request in progress, Unix seconds. */
  now(): number;
  /** Whether getDiagnosisKeys releases today's key (EN v2 same-day release, phone.ts). */
  includeCurrentDay(): boolean;
  /** EN API the OS offers this app (0 none, 1, 2). */
  enApiOffered(): 0 | 1 | 2;
  /** Fills the OS's trusted signature keys before a detection (server configuration of the OS). */
  configureOs(): void;
}

export class PhoneFrameworkHost implements FrameworkHost {
  /** Observations since the last reset (one user action or background run). */
  provided: ProvideObservation[] = [];
  notifications: NotificationParams<'app/showNotification'>[] = [];
  /** The tail of the app's log: context for a failure, not evidence. */
  readonly logLines: NotificationParams<'app/log'>[] = [];

  constructor(
    private readonly framework: ExposureNotificationFramework,
    private readonly clock: HostClock,
  ) {}

  log(p: NotificationParams<'app/log'>): void {
    this.logLines.push(p);
    if (this.logLines.length > 200) this.logLines.shift();
  }

  reset(): void {
    this.provided = [];
    this.notifications = [];
  }

  getTekHistory(): FrameworkResult<'en/getTekHistory'> {
    const keys = this.framework.getDiagnosisKeys(this.clock.now(), {
      includeCurrentDay: this.clock.includeCurrentDay(),
    });
    return { keys: keys.map(toWireKey) };
  }

  provideDiagnosisKeys(p: FrameworkParams<'en/provideDiagnosisKeys'>): ProvideDiagnosisKeysResult {
    const files = p.files.map((f) => new Uint8Array(Buffer.from(f, 'base64')));
    const nowEpochSeconds = this.clock.now();
    const offered = this.clock.enApiOffered();
    const record = (o: ProvideObservation) => this.provided.push(o);
    if ('v2' in p.configuration && offered < 2) {
      const reason = `${this.framework.platform} ${this.framework.osVersion} offers no ExposureWindow API`;
      record({ files: files.length, output: { kind: 'not-available', reason } });
      return { kind: 'failed', code: 'EN_API_NOT_AVAILABLE', reason };
    }
    this.clock.configureOs();
    let output: ProvideObservation['output'];
    let v1Configuration: V1Configuration | undefined;
    if ('v2' in p.configuration) {
      output = this.framework.detectV2({
        files,
        mapping: p.configuration.v2.mapping as unknown as DiagnosisKeysDataMapping,
        configuration: p.configuration.v2.configuration as unknown as V2Configuration,
        nowEpochSeconds,
      });
    } else {
      v1Configuration = p.configuration.v1 as V1Configuration;
      output = this.framework.detectV1({ files, configuration: v1Configuration, nowEpochSeconds });
    }
    record({ files: files.length, output, ...(v1Configuration ? { v1Configuration } : {}) });
    return apiShape(output);
  }

  showNotification(p: NotificationParams<'app/showNotification'>): void {
    this.notifications.push(p);
  }
}

/** The framework's output as the platform's API hands it to the app: no keys, no sightings. */
function apiShape(
  o: V1Detection | V2Detection | QuotaExceeded | DetectionFailed,
): ProvideDiagnosisKeysResult {
  if (o.kind === 'quota-exceeded' || o.kind === 'detection-failed')
    return { kind: 'failed', code: o.code, reason: o.reason };
  if (o.kind === 'v2')
    return {
      kind: 'v2',
      platform: o.platform,
      exposureWindows: o.exposureWindows.map((w) => ({
        ...w,
        scanInstances: w.scanInstances.map((s) => ({ ...s })),
      })),
      dailySummaries: o.dailySummaries.map((d) => ({
        ...d,
        summaryByReportType: d.summaryByReportType as Record<string, never>,
      })),
    };
  // The same members the platform API has; readonly arrays handed over as they are.
  return {
    kind: 'v1',
    platform: o.platform,
    summary: o.summary,
    informations: o.informations,
  } as ProvideDiagnosisKeysResult;
}
