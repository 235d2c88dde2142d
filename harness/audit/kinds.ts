/**
 * The kinds of planted defect, one small function each, looked up by name from the catalog
 * (catalog.yaml). A kind turns its parameters into a server mutation (played by the proxy), an app
 * decoration (a wrapped AppBuild) or a publish decoration; nothing here patches a source file.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { RiskMeasure } from '../devices/apps/config.js';
import { presentNotification } from '../devices/apps/notification.js';
import type { AppBuild, AppConfiguration } from '../devices/apps/types.js';
import {
  alignedRollingStart,
  type ExportSigner,
  enIntervalNumber,
  type TemporaryExposureKey,
} from '../protocol/index.js';
import type { PublishOutcome } from '../stack/types.js';
import type { Answer, Exchange, ServerMutation } from './proxy.js';

export interface PlantedDefect {
  readonly server?: ServerMutation;
  readonly app?: (build: AppBuild) => AppBuild;
  readonly publish?: (real: () => Promise<PublishOutcome>) => Promise<PublishOutcome>;
}

export type Params = Readonly<Record<string, unknown>>;
/**
 * The run's clock (Unix ms, harness/stack/clock.ts). A defect judges "today" by it, as the server or
 * app it sits in would: the stack's clock stands at the scenario's now, up to a day past the machine's
 * (scenario/anchor.ts), and cells with steps after now move it on by days, so the machine's day is
 * often another key day than the stack's.
 */
export interface PlantClock {
  now(): number;
}
export type Kind = (params: Params, clock: PlantClock) => PlantedDefect;

const isDiagnosis = (x: Exchange) =>
  x.where === 'api' && x.method === 'PUT' && /(^|\/)diagnosis$/.test(x.path);
const json = (body: Buffer) => JSON.parse(body.toString('utf8')) as Record<string, unknown>;
type Key = { rollingStartIntervalNumber: number; rollingPeriod: number };
type KeyFilter = (k: Key) => boolean;
/**
 * Keys a defective filter drops, given today's rolling start on the run's clock; by name, so the
 * catalog stays data.
 */
const KEY_FILTERS: Readonly<Record<string, (k: Key, today: number) => boolean>> = {
  'short-rolling-period': (k) => k.rollingPeriod < 144,
  'current-day': (k, today) => k.rollingStartIntervalNumber >= today,
  'previous-day': (k, today) => k.rollingStartIntervalNumber === today - 144,
  // The export holds rolling starts ≥ today − 14 days (cocoa.md §3; server/export/publish.ts).
  'oldest-day': (k, today) => k.rollingStartIntervalNumber <= today - 14 * 144,
  all: () => true,
};
const keyFilter = (name: unknown, clock: PlantClock): KeyFilter => {
  const f = KEY_FILTERS[String(name)];
  if (!f)
    throw new Error(`unknown key filter "${String(name)}" (known: ${Object.keys(KEY_FILTERS).join(', ')})`);
  return (k) => f(k, alignedRollingStart(enIntervalNumber(Math.floor(clock.now() / 1000))));
};

function mapConfig(build: AppBuild, change: (c: AppConfiguration) => AppConfiguration): AppBuild {
  return { ...build, fetchConfiguration: async (s, h) => change(await build.fetchConfiguration(s, h)) };
}

/** Every kind, by the name the catalog uses. */
export const KINDS: Readonly<Record<string, Kind>> = {
  /** Does nothing anyone can see (a log line changed): the audit's own control, it must survive. */
  'no-visible-change': () => ({}),

  /** The server acknowledges an upload but drops some of its keys before storing them. */
  'server-drops-uploaded-keys': (p, clock) => {
    const drop = keyFilter(p.keys, clock);
    return {
      server: {
        request(x) {
          if (!isDiagnosis(x)) return undefined;
          const body = json(x.body);
          const keys = (body.keys as { rollingStartNumber: number; rollingPeriod: number }[]) ?? [];
          const kept = keys.filter(
            (k) =>
              !drop({ rollingStartIntervalNumber: k.rollingStartNumber, rollingPeriod: k.rollingPeriod }),
          );
          return Buffer.from(JSON.stringify({ ...body, keys: kept }));
        },
      },
    };
  },

  /** The export batch leaves some keys out of the files. */
  'export-drops-keys': (p, clock) => {
    const drop = keyFilter(p.keys, clock);
    return { server: { exportContent: (c) => ({ ...c, keys: c.keys.filter((k) => !drop(k)) }) } };
  },

  /** The export writes one transmission risk level for every key (the 1.1.4 server copied 0). */
  'export-sets-transmission-risk': (p) => ({
    server: {
      exportContent: (c) => ({
        ...c,
        keys: c.keys.map((k): TemporaryExposureKey => ({ ...k, transmissionRiskLevel: Number(p.level) })),
      }),
    },
  }),

  /** days_since_onset_of_symptoms shifted in the export (v3 server off by one). */
  'export-shifts-days-since-onset': (p) => ({
    server: {
      exportContent: (c) => ({
        ...c,
        keys: c.keys.map((k) =>
          k.daysSinceOnsetOfSymptoms === undefined
            ? k
            : { ...k, daysSinceOnsetOfSymptoms: k.daysSinceOnsetOfSymptoms + Number(p.by) },
        ),
      }),
    },
  }),

  /** Every file's header says batch 1 of 1 for the whole day (COCOA's end = start + 86400). */
  'export-same-header-per-day': () => ({
    server: {
      exportContent: (c) => {
        const start = Math.floor(c.startTimestamp / 86_400) * 86_400;
        return { ...c, startTimestamp: start, endTimestamp: start + 86_400, batchNum: 1, batchSize: 1 };
      },
    },
  }),

  /** Files signed with a key the phones do not trust (a rotated key not configured). */
  'export-signed-by-unknown-key': () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const signer: ExportSigner = { keyId: '440', version: 'v1', privateKey };
    return { server: { signer } };
  },

  /** list.json's `created` written in seconds instead of milliseconds (cocoa.md §1.5). */
  'list-created-in-seconds': () => ({
    server: {
      response(x, a) {
        if (!(x.where === 'cdn' && x.path.endsWith('/list.json')) || a.status !== 200) return undefined;
        const entries = JSON.parse(a.body.toString('utf8')) as { created: number }[];
        const fixed = entries.map((e) => ({ ...e, created: Math.floor(e.created / 1000) }));
        return { ...a, body: Buffer.from(JSON.stringify(fixed)) };
      },
    },
  }),

  /** list.json rewritten before the newest file is listed. */
  'list-omits-newest': () => ({
    server: {
      response(x, a) {
        if (!(x.where === 'cdn' && x.path.endsWith('/list.json')) || a.status !== 200) return undefined;
        const entries = JSON.parse(a.body.toString('utf8')) as { created: number }[];
        const newest = Math.max(0, ...entries.map((e) => e.created));
        return { ...a, body: Buffer.from(JSON.stringify(entries.filter((e) => e.created !== newest))) };
      },
    },
  }),

  /** The diagnosis API answers one status as another (e.g. HER-SYS down 503 → "invalid number" 406). */
  'diagnosis-status-mapped': (p) => ({
    server: {
      response(x, a) {
        if (!isDiagnosis(x) || a.status !== Number(p.from)) return undefined;
        return { ...a, status: Number(p.to) } satisfies Answer;
      },
    },
  }),

  /**
   * The server asks HER-SYS before looking for a stored upload: the retry of an upload it already
   * stored (its acknowledgement lost) gets "number already used" instead of its original success.
   */
  'diagnosis-retry-refused': (p) => {
    const stored = new Set<string>();
    const identity = (x: Exchange) => {
      const body = json(x.body);
      const keys = ((body.keys as { keyData: string; rollingStartNumber: number }[]) ?? [])
        .map((k) => `${k.keyData}.${k.rollingStartNumber}`)
        .sort();
      return `${String(body.verificationPayload)}|${keys.join(',')}`;
    };
    return {
      server: {
        response(x, a) {
          if (!isDiagnosis(x) || a.status >= 300) return undefined;
          const id = identity(x);
          if (!stored.has(id)) {
            stored.add(id);
            return undefined;
          }
          return { ...a, status: Number(p.status ?? 406), body: Buffer.from('Bad VerificationPayload') };
        },
      },
    };
  },

  /** A configuration file missing or failing on the CDN. */
  'configuration-file-status': (p) => ({
    server: {
      request(x) {
        if (x.where !== 'cdn' || !x.path.toLowerCase().includes(String(p.file).toLowerCase()))
          return undefined;
        return { status: Number(p.status), body: Buffer.from('not found'), contentType: 'text/plain' };
      },
    },
  }),

  /**
   * Members of a served JSON configuration changed (a wrong value shipped): `member` and `value`, or
   * `members` mapping several member paths to their values.
   */
  'configuration-member': (p) => {
    const changes = Object.entries(
      (p.members as Record<string, unknown> | undefined) ?? { [String(p.member)]: p.value },
    );
    return {
      server: {
        response(x, a) {
          if (x.where !== 'cdn' || !x.path.endsWith(String(p.file)) || a.status !== 200) return undefined;
          const doc = JSON.parse(a.body.toString('utf8')) as Record<string, unknown>;
          for (const [member, value] of changes) setPath(doc, member.split('.'), value);
          return { ...a, body: Buffer.from(JSON.stringify(doc)) };
        },
      },
    };
  },

  /** The export batch never runs (the timer stopped). */
  'export-batch-never-runs': () => ({
    publish: async () => ({ ok: true, files: [], detail: 'audit: the batch did not run' }),
  }),

  /** The app compares with `>` where it should use `≥` (v1 minimum, v2 ScoreSum, v2 seconds). */
  'app-strict-threshold': (p) => ({
    app: (build) =>
      mapConfig(build, (c) => {
        const bump = (x: number, integer: boolean) => (integer ? x + 1 : x + 1e-9);
        const which = String(p.threshold);
        if (which === 'v1-minimum')
          return {
            ...c,
            v1: {
              android: { ...c.v1.android, minimumRiskScore: bump(c.v1.android.minimumRiskScore, true) },
              ios: { ...c.v1.ios, minimumRiskScore: bump(c.v1.ios.minimumRiskScore, true) },
            },
          };
        if (!c.v2) return c;
        // EN v2: COCOA's risk calculation compares with an operator per condition; ≥ becomes >.
        const measure =
          which === 'v2-score-sum'
            ? 'scoreSum'
            : which === 'v2-seconds'
              ? 'secondsSinceLastScanSum'
              : undefined;
        if (measure) {
          const rc = c.v2.riskCalculation;
          const strict = rc[measure].op === '>=' ? { ...rc[measure], op: '>' as const } : rc[measure];
          return { ...c, v2: { ...c.v2, riskCalculation: { ...rc, [measure]: strict } } };
        }
        throw new Error(`unknown threshold "${which}"`);
      }),
  }),

  /** The app's upload leaves out some keys it should send (a window one day short, no same-day key). */
  'app-withholds-keys': (p, clock) => {
    // "oldest-sent": the oldest day the build itself chose to send (a window one day short at its start).
    const drop = String(p.keys) === 'oldest-sent' ? undefined : keyFilter(p.keys, clock);
    return {
      app: (build) => ({
        ...build,
        async prepareUpload(keys, ctx) {
          const oldest = Math.min(...keys.map((k) => k.rollingStartIntervalNumber));
          const filter: KeyFilter = drop ?? ((k) => k.rollingStartIntervalNumber === oldest);
          const prepared = await build.prepareUpload(keys, ctx);
          const kept = prepared.keys.filter((k) => !filter(k));
          const body = prepared.body as { keys?: { rollingStartNumber: number; rollingPeriod: number }[] };
          return {
            ...prepared,
            keys: kept,
            body: {
              ...prepared.body,
              keys: (body.keys ?? []).filter(
                (k) =>
                  !filter({
                    rollingStartIntervalNumber: k.rollingStartNumber,
                    rollingPeriod: k.rollingPeriod,
                  }),
              ),
            },
          };
        },
      }),
    };
  },

  /** The app marks a batch processed before the framework succeeded (2.x bookkeeping). */
  'app-marks-processed-early': () => ({
    app: (build) => ({ ...build, saveLastProcessedOnlyAfterSuccess: false }),
  }),

  /** The app decides right but never shows the notification. */
  'app-notification-suppressed': () => ({
    app: (build) => ({
      ...build,
      decide(output, config, now) {
        const d = build.decide(output, config, now);
        return { ...d, notified: false, stored: [], reason: 'audit: notification suppressed' };
      },
    }),
  }),

  /**
   * Over-notification: the app shows the notification as soon as any key matched, before (and
   * whatever) its own risk decision.
   */
  'app-notifies-on-any-match': () => ({
    app: (build) => ({
      ...build,
      decide(output, config, now) {
        const d = build.decide(output, config, now);
        // A match as the app sees it: EN v2 gives windows (no key count), v1 a summary's count.
        const matches = output.kind === 'v2' ? output.exposureWindows.length : output.matchedKeyCount;
        return matches > 0 ? { ...d, notified: true, reason: `audit: notified on ${matches} match(es)` } : d;
      },
    }),
  }),

  /** Over-notification: once the app holds an exposure, every later check notifies again. */
  'app-notifies-at-every-check': () => ({
    app: (build) => ({
      ...build,
      present(decision, exposures, now) {
        const shown = (build.present ?? presentNotification)(decision, exposures, now);
        return exposures.length > 0
          ? {
              ...shown,
              shown: true,
              reason: `audit: notified again for ${exposures.length} stored exposure(s)`,
            }
          : shown;
      },
    }),
  }),

  /**
   * Over-notification: the EN v1 handler compares with minimum 0 (its gate dropped), so it stores
   * every ExposureInformation the framework returned, Android's zero-scored ones included.
   */
  'app-drops-v1-minimum': () => ({
    app: (build) => ({
      ...build,
      decide(output, config, now) {
        if (output.kind !== 'v1') return build.decide(output, config, now);
        const zero = (c: AppConfiguration['v1']['android']) => ({ ...c, minimumRiskScore: 0 });
        return build.decide(
          output,
          { ...config, v1: { android: zero(config.v1.android), ios: zero(config.v1.ios) } },
          now,
        );
      },
    }),
  }),

  /**
   * A condition of the 2.x risk calculation changed in the app: `op` (e.g. NOP: the condition
   * dropped) and/or the value divided by `divide` (a threshold read in the wrong unit: 900 s as 15).
   * `measure: every` changes both conditions COCOA uses.
   */
  'app-risk-condition': (p) => ({
    app: (build) =>
      mapConfig(build, (c) => {
        if (!c.v2) return c;
        const measures: RiskMeasure[] =
          p.measure === 'every' ? ['scoreSum', 'secondsSinceLastScanSum'] : [p.measure as RiskMeasure];
        const rc = { ...c.v2.riskCalculation };
        for (const m of measures) {
          if (!(m in rc) || m === ('formatVersion' as string)) throw new Error(`unknown measure "${m}"`);
          const cond = rc[m];
          rc[m] = {
            op: p.op === undefined ? cond.op : (String(p.op) as typeof cond.op),
            value: p.divide === undefined ? cond.value : cond.value / Number(p.divide),
          };
        }
        return { ...c, v2: { ...c.v2, riskCalculation: rc } };
      }),
  }),

  /** The app never uses the served configuration (always its built-in default). */
  'app-ignores-served-configuration': () => ({
    app: (build) => ({
      ...build,
      fetchConfiguration: (server, http) =>
        build.fetchConfiguration({ ...server, cdnUrlBase: 'http://127.0.0.1:9/' }, http),
    }),
  }),
};

function setPath(doc: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = doc;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null)
      throw new Error(`configuration has no member ${path.join('.')}`);
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}
