/** The scenario language: load and validate YAML, releases, compile to a Plan. */
export { type CompileOptions, cellSeed, compilePlan, KEY_WINDOW_DAYS } from './compile.js';
export { ScenarioError, ScenarioErrors } from './errors.js';
export { type LoadedCell, type LoadedScenario, loadScenarios, parseScenarios } from './loader.js';
export { expandMatrix, type Matrix, type MatrixCell, substitute } from './matrix.js';
export type {
  HerSysFault,
  NumberKind,
  Plan,
  PlannedCell,
  PlannedExpectation,
  PlannedScenario,
  PlannedStep,
} from './plan.js';
export { DEFAULT_RELEASE, loadRelease, RELEASES_DIR, type Release } from './release.js';
export { type ScenarioDoc, scenarioSchema } from './schema.js';
export { formatRelative, jstDate, jstMidnight, parseRelativeTime, type RelativeTime } from './time.js';
