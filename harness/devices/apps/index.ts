/** App builds (plug-ins): upload, configuration and exposure decision (cocoa.md §1, §4). */
export { COCOA_1_1_3, COCOA_1_1_4, COCOA_1_2_2, COCOA_2_X } from './cocoa.js';
export {
  AppConfigError,
  type ChinoConfiguration,
  parseChinoConfiguration,
  parseRiskCalculation,
  parseXamarinConfiguration,
  RISK_OPERATORS,
  type RiskCalculationConfiguration,
  type RiskCondition,
} from './config.js';
export { decideV1, decideV2, type V1Policy } from './decide.js';
export {
  apiUrl,
  appHttp,
  cdnUrl,
  fetchBytes,
  listJsonUrl,
  submissionMessage,
} from './http.js';
export { presentNotification } from './notification.js';
export { AppBuildError, BUILT_IN_APP_BUILDS, loadAppBuild } from './registry.js';
export { assessRisk, type RiskAssessment, type RiskLevel } from './risk-calculation.js';
export {
  COCOA_SUBMISSION_OUTCOMES,
  classifySubmission,
  type SubmissionOutcomes,
  UPLOAD_OUTCOMES,
  type UploadOutcome,
} from './submission-outcome.js';
export { APP_TRAITS, type AppTrait } from './traits.js';
export type {
  AppBuild,
  AppConfiguration,
  AppDecision,
  AppHttp,
  ConfigurationDocument,
  ConfigurationStatus,
  FrameworkOutput,
  NotificationState,
  PreparedUpload,
  SubmitScreen,
  UploadContext,
} from './types.js';
