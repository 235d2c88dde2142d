/**
 * What the user makes of a diagnosis submission's answer, as data per app build: the status decides
 * which message the app shows (cocoa.md §1.3), and the message whether the user can try again.
 * - accepted: "registered";
 * - rejected: the number is wrong, used or expired (406), or the data or country is refused (400,
 *   403): trying again with the same number cannot help, the user needs a new number;
 * - retryable: "cannot connect to registration center" (500, 503, no reply): try again later.
 */

export const UPLOAD_OUTCOMES = ['accepted', 'rejected', 'retryable'] as const;
export type UploadOutcome = (typeof UPLOAD_OUTCOMES)[number];

/** A build's table: statuses per outcome; `null` is no reply at all (network error, timeout). */
export interface SubmissionOutcomes {
  readonly accepted: readonly number[];
  readonly rejected: readonly (number | null)[];
  readonly retryable: readonly (number | null)[];
}

/**
 * COCOA (NotifyOtherPageViewModel @v3.0.0, handler @v1.2.2; cocoa.md §1.3). Statuses the app does not
 * name (e.g. 404, 429) are classed by HTTP family below [UNVERIFIED which message COCOA shows for them].
 */
export const COCOA_SUBMISSION_OUTCOMES: SubmissionOutcomes = {
  accepted: [200, 204],
  rejected: [400, 403, 406],
  retryable: [null, 500, 503],
};

/** The outcome of one answer under a build's table; unnamed statuses by family (4xx rejected, else retryable). */
export function classifySubmission(table: SubmissionOutcomes, status: number | null): UploadOutcome {
  if (status !== null && table.accepted.includes(status)) return 'accepted';
  if (table.rejected.includes(status)) return 'rejected';
  if (table.retryable.includes(status)) return 'retryable';
  if (status !== null && status >= 200 && status < 300) return 'accepted';
  return status !== null && status >= 400 && status < 500 ? 'rejected' : 'retryable';
}
