/**
 * Checks of meaning that the schema cannot express field by field: a scenario that passes them cannot
 * fail at run time with a misleading chain. One check per rule, in a table; each returns issues at a
 * path of the scenario, which the loader locates at file:line:column.
 */
import type { z } from 'zod';
import { MAX_ENCOUNTER_MINUTES } from './limits.js';
import type { ScenarioDoc } from './schema.js';
import { parseRelativeTime } from './time.js';

type Issue = z.core.$ZodIssue;
type Path = (string | number)[];

const issue = (path: Path, message: string): Issue => ({ code: 'custom', path, message, input: undefined });

/** A relative day after `last` ("day 2 10:00" after day 1); "now" and earlier days are not. */
function futureDay(text: string | undefined, last = 0): number | null {
  const t = text === undefined ? null : parseRelativeTime(text);
  return t?.kind === 'day' && t.day > last ? t.day : null;
}

const future = (path: Path, text: string) =>
  issue(
    path,
    `must not lie in the future ("${text}"): day 0 is today and every step happens by now; write e.g. "day -1 10:00"`,
  );

/** A step or deadline may follow now by a day at most: the run's clock moves on to it (runner/clock.ts). */
const tooLate = (path: Path, text: string) =>
  issue(
    path,
    `must lie by day 1 ("${text}"): steps after now move the run's clock, up to the day after today; write e.g. "day 1 09:30" or "now +10m"`,
  );

const CHECKS: Readonly<Record<string, (s: ScenarioDoc) => Issue[]>> = {
  selfEncounter: (s) =>
    s.timeline.flatMap((st, i) =>
      st.encounter && st.encounter.a === st.encounter.b
        ? [
            issue(
              ['timeline', i, 'encounter', 'b'],
              `must be another phone than a ("${st.encounter.a}"): a phone cannot meet itself`,
            ),
          ]
        : [],
    ),
  encounterDuration: (s) =>
    s.timeline.flatMap((st, i) =>
      st.encounter && st.encounter.duration > MAX_ENCOUNTER_MINUTES
        ? [
            issue(
              ['timeline', i, 'encounter', 'duration'],
              `must be at most ${MAX_ENCOUNTER_MINUTES} minutes (one day; write a longer contact as one encounter per day), got ${st.encounter.duration}`,
            ),
          ]
        : [],
    ),
  expectationOnPatient: (s) => {
    const patients = new Map<string, number>();
    s.timeline.forEach((st, i) => {
      if (st.diagnose && !patients.has(st.diagnose.patient)) patients.set(st.diagnose.patient, i);
    });
    // A patient can be notified by another patient's keys, never by her own (a sender expectation,
    // `upload: …`, is about her own upload).
    return Object.keys(s.expect).flatMap((id) =>
      s.expect[id]?.upload === undefined && patients.has(id) && [...patients.keys()].every((p) => p === id)
        ? [
            issue(
              ['expect', id],
              `must not name the patient "${id}" (diagnosed at timeline[${patients.get(id)}]): a phone is notified by others' keys; expect something of a phone she met`,
            ),
          ]
        : [],
    );
  },
  senderUploads: (s) =>
    Object.entries(s.expect).flatMap(([id, e]) =>
      e.upload !== undefined && !s.timeline.some((st) => st.upload?.who === id)
        ? [issue(['expect', id, 'upload'], `must name a phone that uploads ("${id}" has no upload step)`)]
        : [],
    ),
  futureTimes: (s) => [
    ...s.timeline.flatMap((st, i) => {
      const out: Issue[] = [];
      // Steps after now (day 1) are allowed, except contacts: the phones' history ends by now.
      if (st.at !== undefined && futureDay(st.at, st.encounter ? 0 : 1) !== null)
        out.push((st.encounter ? future : tooLate)(['timeline', i, 'at'], st.at));
      if (st.diagnose && futureDay(st.diagnose.testDate) !== null)
        out.push(future(['timeline', i, 'diagnose', 'testDate'], st.diagnose.testDate));
      if (st.diagnose?.symptomOnset !== undefined && futureDay(st.diagnose.symptomOnset) !== null)
        out.push(future(['timeline', i, 'diagnose', 'symptomOnset'], st.diagnose.symptomOnset));
      return out;
    }),
    ...Object.entries(s.expect).flatMap(([id, e]) =>
      e.by !== undefined && futureDay(e.by, 1) !== null ? [tooLate(['expect', id, 'by'], e.by)] : [],
    ),
  ],
};

/** Every semantic issue of one validated scenario (one matrix cell's values substituted). */
export function semanticIssues(scenario: ScenarioDoc): Issue[] {
  return Object.values(CHECKS).flatMap((check) => check(scenario));
}
