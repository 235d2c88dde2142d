/**
 * A piece ichiren itself needs is missing (browser, font, database, Docker engine). Never a chain
 * verdict: the run stops before its first cell with this one line, and exits 1.
 */
export type MissingPiece = 'chromium' | 'font' | 'postgres' | 'docker';

export class EnvironmentError extends Error {
  readonly code = 'ICHIREN_ENVIRONMENT';
  constructor(
    readonly piece: MissingPiece,
    /** What is missing and how to get it, one line. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EnvironmentError';
  }
}
