/** Errors the framework API raises for invalid calls, as the real API does with an ApiException. */
export type FrameworkErrorCode = 'EN_CONFIGURATION_INVALID' | 'EN_MAPPING_INVALID';

export class FrameworkError extends Error {
  override readonly name = 'FrameworkError';
  constructor(
    readonly code: FrameworkErrorCode,
    message: string,
    /** The configuration field concerned, e.g. "attenuationScores". */
    readonly field?: string,
  ) {
    super(message);
  }
}
