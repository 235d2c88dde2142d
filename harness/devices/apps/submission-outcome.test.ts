import { describe, expect, it } from 'vitest';
import {
  COCOA_SUBMISSION_OUTCOMES,
  classifySubmission,
  type SubmissionOutcomes,
} from './submission-outcome.js';

describe('classifySubmission', () => {
  it.each([
    [200, 'accepted'],
    [204, 'accepted'],
    [406, 'rejected'],
    [400, 'rejected'],
    [403, 'rejected'],
    [503, 'retryable'],
    [500, 'retryable'],
    [null, 'retryable'],
    [429, 'rejected'],
    [502, 'retryable'],
  ] as const)('COCOA: %s → %s', (status, outcome) => {
    expect(classifySubmission(COCOA_SUBMISSION_OUTCOMES, status)).toBe(outcome);
  });

  it("follows the build's own table before the HTTP family", () => {
    const table: SubmissionOutcomes = { accepted: [200], rejected: [503], retryable: [429] };
    expect(classifySubmission(table, 503)).toBe('rejected');
    expect(classifySubmission(table, 429)).toBe('retryable');
  });
});
