/**
 * App traits: behaviours a build claims, so that a scenario whose expectation depends on one runs
 * only against builds that have it (scenario `requires`). A trait never decides an outcome — the
 * phones still upload, match and score by mechanism; it only says which expectations apply.
 */
export const APP_TRAITS = [
  /**
   * Keys from before the infectious period (onset or test date − 3 days) never lead to a
   * notification: 1.2.2 stops sending them (`DaysToSendTek = -3`, cocoa.md §1.2); 2.x sends the
   * onset date and the DSOS mapping gives them no infectiousness (cocoa.md §1.6).
   */
  'infectious-period-keys-only',
  /**
   * The build downloads its exposure configuration (cocoa.md §1.6) rather than always using the
   * compiled-in one, so a scenario can require that it used, or visibly fell back from, the served one.
   */
  'downloads-exposure-configuration',
  /**
   * The build stores the newest processed list.json entry only after the framework's detection
   * succeeded (cocoa.md §1.5: 2.x saves it "only after ProvideDiagnosisKeys succeeds"), so a batch
   * whose detection failed is fetched again at the next check. Claimed, not derived from the build's
   * bookkeeping switch: a build that claims it and loses the batch is a defect to catch.
   */
  'retries-failed-batches',
  /**
   * Derived from the build's `enApi`, never claimed (runner/applicability.ts): the build scores with
   * EN v1 (ExposureConfiguration, minimum risk score) or EN v2 (ExposureWindow, ScoreSum). Boundary
   * scenarios of one scoring mode say nothing about the other.
   */
  'en-api-1',
  'en-api-2',
] as const;

export type AppTrait = (typeof APP_TRAITS)[number];
