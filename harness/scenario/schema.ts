/**
 * The scenario language as zod schemas (zod v4). Every message names what was expected; the loader
 * prefixes file:line:column and the field path, e.g. `phones.b.platform must be "android" or "ios"`.
 */
import { z } from 'zod';
import { UPLOAD_OUTCOMES } from '../devices/apps/submission-outcome.js';
import { APP_TRAITS } from '../devices/apps/traits.js';
import { SERVER_FAULT_MODES } from '../faults/modes.js';
import { CHAIN_LINKS } from '../runner/results.js';
import { FAMILY_ALPHA, INTERVAL_METHODS, MAX_TRIALS, parseRateBound } from '../runner/statistics.js';
import { parseNotificationCount } from './notification-count.js';
import { STACK_TRAITS } from './stack-traits.js';
import { parseRelativeTime } from './time.js';

const text = z.strictObject(
  {
    ja: z.string({ error: 'must be a Japanese text' }).min(1, { error: 'must not be empty' }),
    en: z.string({ error: 'must be an English text' }).min(1, { error: 'must not be empty' }),
  },
  { error: 'must be {ja, en}' },
);

const oneLine = text.refine((t) => !t.ja.includes('\n') && !t.en.includes('\n'), {
  error: 'must be one line in each language',
});

const relTime = z
  .string({ error: 'must be a time like "day -5 10:00" or "now"' })
  .refine((s) => parseRelativeTime(s) !== null, { error: 'must be a time like "day -5 10:00" or "now"' });

const relDate = z
  .string({ error: 'must be a date like "day -2"' })
  .refine((s) => parseRelativeTime(s)?.kind === 'day', { error: 'must be a date like "day -2"' });

const phoneId = z.string({ error: 'must be a phone id' }).regex(/^[A-Za-z][\w-]*$/, {
  error: 'must be a phone id (a letter, then letters, digits, _ or -)',
});

export const PLATFORMS = ['android', 'ios'] as const;

/** `served`: the downloaded documents parsed and were used; `fallback`: the app fell back to its default. */
export const CONFIGURATION_EXPECTATIONS = ['served', 'fallback'] as const;
const platform = z.enum(PLATFORMS, { error: 'must be "android" or "ios"' });

export const ENVIRONMENTS = ['open-air', 'office', 'home', 'restaurant', 'train', 'bus'] as const;

const phone = z.strictObject(
  {
    platform: platform.optional(),
    osVersion: z
      .union([z.string(), z.number()], { error: 'must be a version like "14.4"' })
      .transform(String)
      .optional(),
    enVersion: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 or 2' }).optional(),
    model: z.string({ error: 'must be a model name like "Pixel 4"' }).optional(),
    app: z.string({ error: 'must be an app build like "cocoa-1.2.2"' }).optional(),
    backgroundCheckRuns: z.boolean({ error: 'must be true or false' }).optional(),
    clockSkewSeconds: z.number({ error: 'must be a number of seconds' }).optional(),
    /** The unit's true radio hardware where it differs from its calibration row (devices/radio/hardware.ts). */
    hardware: z
      .strictObject(
        {
          rssiOffset: z.number({ error: 'must be the dB the chipset truly reads low' }).optional(),
          tx: z.number({ error: 'must be the TX power (dBm) the hardware would need' }).optional(),
          radiatedPower: z.number({ error: 'must be the radiated power in dBm' }).optional(),
          sensitivity: z.number({ error: 'must be the receiver sensitivity in dBm' }).optional(),
        },
        { error: 'must be {rssiOffset, tx, radiatedPower, sensitivity} (all optional)' },
      )
      .optional(),
  },
  { error: 'must be a phone: {platform, osVersion, enVersion, model, app, …}' },
);

/** Exact radio's default cadence: one scan every 5 minutes, Android's longest interval (gaen.md §3). */
export const DEFAULT_SCAN_INTERVAL_SECONDS = 300;

const attenuationDb = z
  .number({ error: 'must be an attenuation in dB' })
  .min(0, { error: 'must be an attenuation in dB (0–150)' })
  .max(150, { error: 'must be an attenuation in dB (0–150)' });

/**
 * Either a distance (the simulated radio) or exact radio: `attenuation`, one value held for
 * `duration` or a list of per-scan values, with scans every `scanInterval` seconds
 * (harness/devices/scripted-scans.ts).
 */
const encounter = z
  .strictObject({
    a: phoneId,
    b: phoneId,
    distance: z
      .number({ error: 'must be a distance in metres' })
      .positive({ error: 'must be a distance in metres > 0' })
      .optional(),
    attenuation: z
      .union(
        [
          attenuationDb,
          z.array(attenuationDb).min(1, { error: 'must list at least one scan' }),
          // "40, 40, 55": a list that fits in a matrix variable.
          z
            .string()
            .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/)
            .transform((t) => t.split(',').map(Number))
            .pipe(z.array(attenuationDb)),
        ],
        { error: 'must be an attenuation in dB, a list of per-scan attenuations or "40, 40, 55"' },
      )
      .optional(),
    scanInterval: z
      .number({ error: 'must be seconds between scans' })
      .min(30, { error: 'must be seconds between scans (30–300)' })
      .max(300, { error: 'must be seconds between scans (30–300)' })
      .optional(),
    duration: z
      .number({ error: 'must be a duration in minutes' })
      .positive({ error: 'must be a duration in minutes > 0' })
      .optional(),
    environment: z
      .enum(ENVIRONMENTS, { error: `must be one of ${ENVIRONMENTS.join(', ')}` })
      .default('office'),
    bodyShadowing: z.number({ error: 'must be extra attenuation in dB (>= 0)' }).min(0).default(0),
  })
  .superRefine((e, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if ((e.distance === undefined) === (e.attenuation === undefined))
      issue(
        'distance',
        'or attenuation must be given, not both (distance: simulated radio; attenuation: exact radio)',
      );
    if (e.scanInterval !== undefined && e.attenuation === undefined)
      issue('scanInterval', 'applies to exact radio only (give attenuation)');
    if (Array.isArray(e.attenuation)) {
      if (e.duration !== undefined)
        issue(
          'duration',
          'must be left out with a list of attenuations (one scan per entry, every scanInterval)',
        );
    } else if (e.duration === undefined) issue('duration', 'must be a duration in minutes');
  })
  .transform((e) => ({
    ...e,
    scanInterval: e.scanInterval ?? DEFAULT_SCAN_INTERVAL_SECONDS,
    duration:
      e.duration ??
      ((Array.isArray(e.attenuation) ? e.attenuation.length : 0) *
        (e.scanInterval ?? DEFAULT_SCAN_INTERVAL_SECONDS)) /
        60,
  }));

const diagnose = z.strictObject({
  patient: phoneId,
  testDate: relDate,
  symptomOnset: relDate.optional(),
  testType: z.enum(['PCR', 'antigen'], { error: 'must be "PCR" or "antigen"' }).default('PCR'),
  via: z.enum(['api', 'web-screen'], { error: 'must be "api" or "web-screen"' }).default('api'),
});

export const NUMBER_KINDS = ['issued', 'wrong', 'expired', 'reused', 'revoked'] as const;
const upload = z.strictObject({
  who: phoneId,
  number: z
    .enum(NUMBER_KINDS, { error: 'must be "wrong", "expired", "reused" or "revoked"' })
    .default('issued'),
  /** `if-retryable`: the user's retry, made only when the app said "try again later" last time. */
  retry: z.literal('if-retryable', { error: 'must be "if-retryable"' }).optional(),
});

const check = z.strictObject({
  who: phoneId,
  /** `own`: the phone's periodic background check (honours backgroundCheckRuns); default: triggered by the harness. */
  schedule: z.enum(['own', 'forced'], { error: 'must be "own" or "forced"' }).default('forced'),
});

export const HERSYS_FAULTS = ['latency', 'timeout', '5xx', '429', 'malformed', 'down', 'clear'] as const;
const fault = z
  .strictObject({
    hersys: z.enum(HERSYS_FAULTS, { error: `must be one of ${HERSYS_FAULTS.join(', ')}` }).optional(),
    server: z
      .enum(SERVER_FAULT_MODES, { error: `must be one of ${SERVER_FAULT_MODES.join(', ')}` })
      .optional(),
    calls: z.number({ error: 'must be a number of calls' }).int().positive().optional(),
    latencyMs: z.number({ error: 'must be milliseconds' }).int().min(0).optional(),
  })
  .refine((f) => (f.hersys === undefined) !== (f.server === undefined), {
    error: 'must name exactly one of hersys or server',
  });

const STEP_KINDS = ['encounter', 'diagnose', 'upload', 'publish', 'check', 'fault'] as const;
const step = z
  .strictObject(
    {
      at: relTime.optional(),
      encounter: encounter.optional(),
      diagnose: diagnose.optional(),
      upload: upload.optional(),
      publish: z.union([z.null(), z.strictObject({})], { error: 'must be empty' }).optional(),
      check: check.optional(),
      fault: fault.optional(),
    },
    { error: 'must be a step: {at, encounter|diagnose|upload|publish|check|fault}' },
  )
  .superRefine((s, ctx) => {
    const kinds = STEP_KINDS.filter((k) => k in s);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `must have exactly one of ${STEP_KINDS.join(', ')} (found ${kinds.length === 0 ? 'none' : kinds.join(', ')})`,
      });
    }
    if (s.encounter && s.at === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['at'],
        message: 'must be given for an encounter (e.g. "day -3 10:00")',
      });
    }
    const at = s.at === undefined ? null : parseRelativeTime(s.at);
    if (s.encounter && at && at.kind === 'now' && at.offsetMinutes * -1 < s.encounter.duration) {
      ctx.addIssue({
        code: 'custom',
        path: ['at'],
        message: `must be a past time like "day -3 10:00" or "now -${Math.ceil(s.encounter.duration)}m" (the encounter must end by now)`,
      });
    }
  });

/** `{ rate: ">= 0.9" }`: the share of trials in which the phone is notified (needs `trials`). */
const rate = z.strictObject(
  {
    rate: z.string({ error: 'must be a bound like ">= 0.9"' }).refine((t) => parseRateBound(t) !== null, {
      error: 'must be a bound like ">= 0.9" (>=, >, <=, < and a rate 0–1)',
    }),
  },
  { error: 'must be {rate: ">= 0.9"}' },
);

const link = z.enum(CHAIN_LINKS, { error: `must be one of ${CHAIN_LINKS.join(', ')}` });
const uploadOutcome = z.enum(UPLOAD_OUTCOMES, { error: `must be one of ${UPLOAD_OUTCOMES.join(', ')}` });
const expectation = z
  .strictObject(
    {
      notified: z
        .union([z.boolean(), z.literal('any'), rate], {
          error: 'must be true, false, "any" or {rate: ">= 0.9"}',
        })
        .optional(),
      /** A sender: what the app told the user at each of its uploads, in order (one value: one upload). */
      upload: z
        .union([uploadOutcome, z.array(uploadOutcome).min(1, { error: 'must list at least one outcome' })], {
          error: `must be an upload outcome (${UPLOAD_OUTCOMES.join(', ')}) or a list of them, one per upload`,
        })
        .transform((u) => [u].flat())
        .optional(),
      by: relTime.optional(),
      /** The link (or links) a negative expectation expects the chain to break at. */
      brokenLink: z
        .union([link, z.array(link).min(1, { error: 'must list at least one link' })], {
          error: `must be a link (${CHAIN_LINKS.join(', ')}) or a list of links`,
        })
        .optional(),
      /** How many notifications the receiver may be shown: 1 (exactly) or "<= 1" (at most). */
      notifications: z
        .union([z.number(), z.string()], { error: 'must be a count like 1 (exactly) or "<= 1" (at most)' })
        .refine((v) => parseNotificationCount(v) !== null, {
          error: 'must be a count like 1 (exactly) or "<= 1" (at most), a whole number ≥ 0',
        })
        .optional(),
      // Which exposure configuration the app must have used at its decisive check (score link).
      configuration: z
        .enum(CONFIGURATION_EXPECTATIONS, { error: 'must be "served" or "fallback"' })
        .optional(),
    },
    { error: 'must be {notified, by?, brokenLink?, notifications?, configuration?} or {upload}' },
  )
  // A phone is expected either as a receiver (notified) or as a sender (upload).
  .refine((e) => (e.notified === undefined) !== (e.upload === undefined), {
    path: ['notified'],
    error:
      'must be given for a receiver, or left out for a sender expected by its upload outcome (e.g. "upload: retryable"), not both',
  })
  .refine(
    (e) =>
      e.upload === undefined ||
      (e.by === undefined &&
        e.brokenLink === undefined &&
        e.configuration === undefined &&
        e.notifications === undefined),
    {
      path: ['upload'],
      error: 'is a sender expectation: by, brokenLink, notifications and configuration apply to receivers',
    },
  )
  // A negative expectation without its reason would accept any break (e.g. HER-SYS down "proving" a
  // far contact is below the threshold).
  // "Not notified" already means zero notifications; a count there would say it twice, or contradict it.
  .refine((e) => e.notified !== false || e.notifications === undefined, {
    path: ['notifications'],
    error: 'applies to a receiver expected to be notified (notified: false already means none)',
  })
  .refine((e) => e.notified !== false || e.brokenLink !== undefined, {
    path: ['notified'],
    error:
      'false must name the link expected to break: add brokenLink (e.g. "brokenLink: score", or a list like "brokenLink: [contact, score]")',
  });

const axisValue = z.union([z.string(), z.number(), z.boolean()], {
  error: 'must be a string, number or boolean',
});
const matrix = z
  .record(
    z.string(),
    z
      .array(z.union([axisValue, z.record(z.string(), axisValue)]), { error: 'must be a list of values' })
      .min(1, {
        error: 'must list at least one value',
      }),
  )
  .optional();

export const scenarioSchema = z
  .strictObject(
    {
      id: z.string({ error: 'must be an id like "policy-1m-20min"' }).regex(/^[a-z0-9][a-z0-9.-]*$/, {
        error: 'must be lower-case letters, digits, "." or "-"',
      }),
      title: text,
      purpose: oneLine,
      tags: z.array(z.string({ error: 'must be a tag' }), { error: 'must be a list of tags' }).default([]),
      // App traits the expectation depends on (harness/devices/apps/traits.ts), or a trait of the
      // system under test (stack-traits.ts); cells that lack one are reported as not applicable.
      requires: z
        .array(
          z.enum([...APP_TRAITS, ...STACK_TRAITS], {
            error: `must be an app trait (${APP_TRAITS.join(', ')}) or ${STACK_TRAITS.join(', ')}`,
          }),
          { error: 'must be a list of app traits' },
        )
        .default([]),
      phones: z.record(phoneId, phone, { error: 'must map phone ids to phones' }),
      timeline: z
        .array(step, { error: 'must be a list of steps' })
        .min(1, { error: 'must have at least one step' }),
      expect: z.record(phoneId, expectation, { error: 'must map phone ids to {notified: …}' }),
      matrix,
      /**
       * Run every cell this many times with derived seeds (harness/runner/trials.ts); `auto`: as many
       * as detect `statistics.gap` with 95 % power (harness/scenario/auto-trials.ts).
       */
      trials: z
        .union(
          [
            z
              .number({ error: 'must be a number of trials or "auto"' })
              .int({ error: 'must be a whole number of trials' })
              .min(1, { error: 'must be at least 1' })
              .max(MAX_TRIALS, { error: `must be at most ${MAX_TRIALS}` }),
            z.literal('auto'),
          ],
          { error: 'must be a number of trials or "auto"' },
        )
        .optional(),
      /**
       * How rates are shown and sized: the method of the 95 % interval in the report (default
       * Clopper–Pearson) and the gap `trials: auto` must detect. The error rate is the run's (Holm,
       * runner/trials.ts), so a scenario sets no α.
       */
      statistics: z
        .strictObject(
          {
            interval: z
              .enum(INTERVAL_METHODS, { error: `must be one of ${INTERVAL_METHODS.join(', ')}` })
              .default('clopper-pearson'),
            gap: z
              .number({ error: 'must be a difference of rates like 0.3' })
              .gt(0, { error: 'must be between 0 and 1' })
              .max(1, { error: 'must be between 0 and 1' })
              .optional(),
            alpha: z
              .unknown()
              .refine(() => false, {
                error: `is set by the run, not the scenario: every run holds its statistical expectations together at ${FAMILY_ALPHA} (Holm); remove alpha`,
              })
              .optional(),
          },
          { error: 'must be {interval?, gap?}' },
        )
        .optional(),
      /** `platform`: Android and iOS receivers are notified at rates a two-proportion test cannot tell apart. */
      differential: z.literal('platform', { error: 'must be "platform"' }).optional(),
    },
    { error: 'must be a scenario: {id, title, purpose, phones, timeline, expect}' },
  )
  .superRefine((s, ctx) => {
    const ids = new Set(Object.keys(s.phones));
    const need = (id: string, path: (string | number)[]) => {
      if (!ids.has(id))
        ctx.addIssue({
          code: 'custom',
          path,
          message: `must name a phone of this scenario (${[...ids].join(', ')})`,
        });
    };
    s.timeline.forEach((st, i) => {
      if (st.encounter) {
        need(st.encounter.a, ['timeline', i, 'encounter', 'a']);
        need(st.encounter.b, ['timeline', i, 'encounter', 'b']);
      }
      if (st.diagnose) need(st.diagnose.patient, ['timeline', i, 'diagnose', 'patient']);
      if (st.upload) need(st.upload.who, ['timeline', i, 'upload', 'who']);
      if (st.check) need(st.check.who, ['timeline', i, 'check', 'who']);
    });
    for (const id of Object.keys(s.expect)) need(id, ['expect', id]);
    const statistical =
      s.differential !== undefined || Object.values(s.expect).some((e) => typeof e.notified === 'object');
    if (statistical && s.trials !== 'auto' && (s.trials ?? 1) < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['trials'],
        message: 'must be at least 2 or "auto" for rate or differential expectations (e.g. trials: 20)',
      });
    if (s.trials === 'auto' && !statistical)
      ctx.addIssue({
        code: 'custom',
        path: ['trials'],
        message: 'can be "auto" only with rate or differential expectations (it sizes their test)',
      });
    if (s.trials === 'auto' && s.statistics?.gap === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['statistics', 'gap'],
        message: 'must state the gap trials: auto must detect (e.g. statistics: { gap: 0.3 })',
      });
    if (Object.keys(s.expect).length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['expect'],
        message: 'must expect something of at least one phone',
      });
  });

/** A scenario after validation (one matrix cell's values already substituted). */
export type ScenarioDoc = z.output<typeof scenarioSchema>;
export type StepDoc = ScenarioDoc['timeline'][number];
export type ExpectationDoc = ScenarioDoc['expect'][string];
