/**
 * A built-in app build (apps/cocoa.ts) speaking the app protocol: it does its own HTTP (configuration,
 * list.json, export files, upload), asks the framework for its keys and for detection over the
 * protocol, and decides with the build's own functions. The only path the built-in builds take.
 */
import type { TemporaryExposureKey } from '../../protocol/tek.js';
import type { ServerEndpoints } from '../../stack/types.js';
import { apiUrl, appHttp, fetchBytes, listJsonUrl, submissionMessage } from '../apps/http.js';
import { presentNotification } from '../apps/notification.js';
import { COCOA_SUBMISSION_OUTCOMES, classifySubmission } from '../apps/submission-outcome.js';
import type {
  AppBuild,
  AppConfiguration,
  AppInstallation,
  FrameworkOutput,
  SubmitScreen,
} from '../apps/types.js';
import type { AppHandlers, FrameworkClient } from './endpoint.js';
import {
  type DetectExposuresResult,
  type ParamsOf,
  PROTOCOL_VERSION,
  type ProvideDiagnosisKeysResult,
  type ResultOf,
  type SubmitDiagnosisResult,
  type WireKey,
} from './messages.js';

interface ListEntry {
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
    return { url: o.url, created: o.created };
  });
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export const toWireKey = (k: TemporaryExposureKey): WireKey => ({
  keyData: b64(k.keyData),
  rollingStartIntervalNumber: k.rollingStartIntervalNumber,
  rollingPeriod: k.rollingPeriod,
  ...(k.transmissionRiskLevel === undefined ? {} : { transmissionRiskLevel: k.transmissionRiskLevel }),
  ...(k.reportType === undefined ? {} : { reportType: k.reportType }),
  ...(k.daysSinceOnsetOfSymptoms === undefined
    ? {}
    : { daysSinceOnsetOfSymptoms: k.daysSinceOnsetOfSymptoms }),
});

export const fromWireKey = (k: WireKey): TemporaryExposureKey => ({
  keyData: new Uint8Array(Buffer.from(k.keyData, 'base64')),
  rollingStartIntervalNumber: k.rollingStartIntervalNumber,
  rollingPeriod: k.rollingPeriod,
  ...(k.transmissionRiskLevel === undefined ? {} : { transmissionRiskLevel: k.transmissionRiskLevel }),
  ...(k.reportType === undefined ? {} : { reportType: k.reportType as TemporaryExposureKey['reportType'] }),
  ...(k.daysSinceOnsetOfSymptoms === undefined
    ? {}
    : { daysSinceOnsetOfSymptoms: k.daysSinceOnsetOfSymptoms }),
});

/** One phone's app state: what the app keeps between user actions and background runs. */
interface AppState {
  readonly init: ParamsOf<'phone/initialize'>;
  readonly server: ServerEndpoints;
  /** list.json bookkeeping: max `created` processed, per region (cocoa.md §1.5). */
  readonly lastProcessedCreated: Map<string, number>;
  /** What the app stored over all checks (the contact screen). */
  readonly exposures: Readonly<Record<string, unknown>>[];
  /** The submit screen: kept across failed attempts, new after an accepted one. */
  screen: SubmitScreen;
  /** Kept for as long as the app is installed (1.x's registration). */
  readonly installation: AppInstallation;
}

/** The framework's answer as the build's decide() reads it (the platform API's shape). */
function frameworkOutput(r: Exclude<ProvideDiagnosisKeysResult, { kind: 'failed' }>): FrameworkOutput {
  const none = {
    download: { filesAccepted: 0, filesRejected: 0, rejectReasons: [], keysRead: 0 },
    matchedKeys: [],
  };
  if (r.kind === 'v2') return { ...r, ...none, matchedKeyCount: 0 } as unknown as FrameworkOutput;
  return { ...r, ...none, matchedKeyCount: r.summary.matchedKeyCount } as unknown as FrameworkOutput;
}

/**
 * The handlers of a built-in build. `random` gives the phone's seeded bytes (padding, GUIDs) so that
 * a run stays reproducible; an external app uses its own randomness.
 */
export function builtinApp(
  build: AppBuild,
  framework: FrameworkClient,
  random: (phone: string) => (n: number) => Uint8Array,
): AppHandlers {
  const phones = new Map<string, AppState>();
  const state = (phone: string): AppState => {
    const s = phones.get(phone);
    if (!s) throw new Error(`${build.id}: phone "${phone}" was not initialized`);
    return s;
  };

  async function submit(p: ParamsOf<'user/submitDiagnosis'>): Promise<SubmitDiagnosisResult> {
    const s = state(p.phone);
    const http = appHttp(s.server);
    const outcomes = build.submissionOutcomes ?? COCOA_SUBMISSION_OUTCOMES;
    const { keys } = await framework.request('en/getTekHistory', { phone: p.phone });
    let prepared: Awaited<ReturnType<AppBuild['prepareUpload']>>;
    try {
      prepared = await build.prepareUpload(keys.map(fromWireKey), {
        platform: s.init.platform,
        processingNumber: p.processingNumber,
        nowEpochSeconds: p.nowEpochSeconds,
        diagnosisDate: p.diagnosisDate,
        hasSymptom: p.hasSymptom,
        server: s.server,
        random: random(p.phone),
        http,
        screen: s.screen,
        installation: s.installation,
      });
    } catch (error) {
      const status = (error as { status?: number }).status ?? null;
      return {
        endpoint: 'register',
        httpStatus: status,
        submittedKeys: [],
        message: submissionMessage(status),
        outcome: classifySubmission(outcomes, status),
        error: errorText(error),
      };
    }
    let status: number | null = null;
    let error: string | undefined;
    try {
      const res = await http.request(
        'PUT',
        apiUrl(s.server, prepared.endpoint),
        prepared.body,
        prepared.headers,
      );
      status = res.status;
      if (status !== 200 && status !== 204) error = `HTTP ${status}: ${res.text.slice(0, 200)}`;
    } catch (e) {
      error = errorText(e);
    }
    if (status === 200 || status === 204) s.screen = {};
    const trls = prepared.transmissionRiskLevels;
    return {
      endpoint: prepared.endpoint,
      httpStatus: status,
      submittedKeys: prepared.keys.map((k, i) => {
        const { transmissionRiskLevel: _, ...w } = toWireKey(k);
        return trls[i] === undefined ? w : { ...w, transmissionRiskLevel: trls[i] };
      }),
      message: submissionMessage(status),
      outcome: classifySubmission(outcomes, status),
      ...(error === undefined ? {} : { error }),
    };
  }

  async function detect(p: ParamsOf<'background/detectExposures'>): Promise<DetectExposuresResult> {
    const s = state(p.phone);
    const http = appHttp(s.server);
    const config: AppConfiguration = await build.fetchConfiguration(s.server, http);
    // Chino: ExposureWindows where the OS offers them, else the legacy v1 API (cocoa.md §4.2).
    const mode = build.enApi === 2 && s.init.enApiOffered === 2 ? 'v2' : 'v1';
    const platform = s.init.platform;
    const threshold =
      mode === 'v2' ? (config.v2?.riskCalculation.scoreSum.value ?? 0) : config.v1[platform].minimumRiskScore;
    const configuration = { documents: [...config.documents], source: config.source };
    const base = { configuration, mode, threshold, exposureCount: s.exposures.length } as const;

    // list.json, then every entry created after the last processed one (cocoa.md §1.5).
    const listUrl = listJsonUrl(s.server);
    const region = s.server.region;
    const last = s.lastProcessedCreated.get(region) ?? 0;
    let entries: ListEntry[] = [];
    let fresh: ListEntry[] = [];
    const files: string[] = [];
    try {
      const res = await http.request('GET', listUrl);
      if (res.status !== 200) throw new Error(`GET ${listUrl}: HTTP ${res.status}`);
      entries = parseList(res.text, listUrl);
      fresh = entries.filter((e) => e.created > last);
      for (const e of fresh) {
        const got = await fetchBytes(s.server, e.url);
        if (got.status !== 200) throw new Error(`GET ${e.url}: HTTP ${got.status}`);
        files.push(b64(got.bytes));
      }
    } catch (error) {
      return {
        ...base,
        download: { listEntries: 0, files: [], error: errorText(error) },
        reason: 'download failed',
      };
    }
    const download = { listEntries: entries.length, files: fresh.map((e) => e.url) };
    const newest = fresh.reduce((m, e) => Math.max(m, e.created), last);
    if (!build.saveLastProcessedOnlyAfterSuccess) s.lastProcessedCreated.set(region, newest);

    const v2 = config.v2;
    if (mode === 'v2' && !v2) throw new Error(`${build.id}: the app fetched no EN v2 configuration`);
    const answer = await framework.request('en/provideDiagnosisKeys', {
      phone: p.phone,
      files,
      configuration:
        mode === 'v2' && v2
          ? {
              v2: {
                mapping: v2.mapping[platform] as never,
                configuration: (platform === 'android' ? v2.android : v2.ios) as never,
              },
            }
          : { v1: config.v1[platform] as never },
    });
    // The call failed as a whole: the batch stays unprocessed for builds that save only after success.
    if (answer.kind === 'failed') return { ...base, download, reason: `detection failed: ${answer.code}` };
    if (build.saveLastProcessedOnlyAfterSuccess) s.lastProcessedCreated.set(region, newest);

    const decision = build.decide(frameworkOutput(answer), config, p.nowEpochSeconds);
    s.exposures.push(...decision.stored);
    const shown = (build.present ?? presentNotification)(decision, s.exposures, p.nowEpochSeconds);
    if (shown.shown)
      framework.notify('app/showNotification', {
        phone: p.phone,
        title: 'Possible exposure',
        body: `${shown.exposureCount} exposure(s)`,
      });
    return {
      ...base,
      download,
      decision: {
        value: decision.value,
        passed: decision.passed,
        explanation: decision.explanation,
        stored: decision.stored.map((r) => ({ ...r })),
      },
      exposureCount: shown.exposureCount,
      reason: shown.reason,
    };
  }

  const handlers: { [M in keyof AppHandlers]: (p: ParamsOf<M>) => Promise<ResultOf<M>> } = {
    initialize: async () => ({
      protocolVersion: PROTOCOL_VERSION,
      app: { name: build.id },
      enApi: build.enApi,
      traits: [...((build.traits ?? []) as ResultOf<'initialize'>['traits'])],
    }),
    'phone/initialize': async (p) => {
      phones.set(p.phone, {
        init: p,
        server: { ...p.server, verificationKeys: [] },
        lastProcessedCreated: new Map(Object.entries(p.processedUpTo ?? {})),
        exposures: [],
        screen: {},
        installation: {},
      });
      return {};
    },
    'user/submitDiagnosis': submit,
    'background/detectExposures': detect,
    'phone/shutdown': async (p) => {
      phones.delete(p.phone);
      return {};
    },
    shutdown: async () => ({}),
  };
  return handlers as AppHandlers;
}
