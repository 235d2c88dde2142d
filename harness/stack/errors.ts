import type { LogLine } from './types.js';

/** Errors of the stack, with stable codes (style.md principle 10); messages are made at the edge. */
export type StackErrorCode =
  | 'STACK_OPTIONS_INVALID'
  | 'STACK_TASK_FAILED'
  | 'STACK_NOT_READY'
  | 'STACK_STOP_FAILED'
  | 'STACK_INTERRUPTED'
  | 'STACK_PUBLISH_FAILED'
  | 'STACK_ENGINE_UNAVAILABLE';

export class StackError extends Error {
  /** What the stack logged until it failed (set by startStack), for the report. */
  logs?: readonly LogLine[];
  constructor(
    readonly code: StackErrorCode,
    message: string,
    /** Title of the task, option field or resource concerned. */
    readonly subject?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StackError';
  }
}
