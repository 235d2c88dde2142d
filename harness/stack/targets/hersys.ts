// The stub itself, not the index: that also loads the in-process stub (msw/node).
import { type StartedHerSysStub, startHerSysStub } from '../../../stubs/hersys/stub.js';
import type { LogBuffer } from '../logs.js';
import type { StackTask } from '../owner.js';

/** HER-SYS always runs locally as the stub (cocoa.md §2), whatever the server target. */
export function herSysTask(
  logs: LogBuffer,
  seed: number | undefined,
  listen: { readonly host?: string; readonly port?: number } = {},
  /** The run's clock (Unix ms), which the stub runs on. */
  clock?: () => number,
): StackTask<StartedHerSysStub> & {
  /** Copies the stub's lines logged since the last call into the stack's logs. */
  sync(): void;
  started(): StartedHerSysStub | undefined;
} {
  let stub: StartedHerSysStub | undefined;
  let copied = 0;
  const sync = () => {
    if (!stub) return;
    const { lines, next, missed } = stub.logsAfter(copied);
    if (missed > 0)
      logs.add('hersys', `(${missed} line(s) dropped by the stub's log ring before they were copied)`);
    for (const line of lines) logs.add('hersys', line);
    copied = next;
  };
  return {
    title: 'HER-SYS stub',
    sync,
    started: () => stub,
    start: async () => {
      stub = await startHerSysStub({
        ...listen,
        ...(seed === undefined ? {} : { seed }),
        ...(clock ? { clock } : {}),
      });
      sync();
      return stub;
    },
    stop: async (s) => {
      await s.stop();
      sync();
    },
  };
}
