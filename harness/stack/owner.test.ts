import { describe, expect, it } from 'vitest';
import { StackError } from './errors.js';
import { LogBuffer } from './logs.js';
import { StackOwner } from './owner.js';
import { registrySize } from './registry.js';

function recorder() {
  const events: string[] = [];
  const task = (title: string, opts: { failStart?: boolean; failStop?: boolean } = {}) => ({
    title,
    start: async () => {
      events.push(`start ${title}`);
      if (opts.failStart) throw new Error(`${title} broke`);
      return title;
    },
    stop: async (value: string) => {
      events.push(`stop ${value}`);
      if (opts.failStop) throw new Error(`${title} would not stop`);
    },
  });
  return { events, task };
}

describe('StackOwner', () => {
  it('stops started tasks in reverse order, once even when stop is called twice', async () => {
    const { events, task } = recorder();
    const owner = new StackOwner(new LogBuffer());
    await owner.run(task('a'));
    await owner.run(task('b'));
    await Promise.all([owner.stop(), owner.stop()]);
    expect(events).toEqual(['start a', 'start b', 'stop b', 'stop a']);
    expect(registrySize().owners).toBe(0);
  });

  it('on a failed start stops what was started before and names the failed task', async () => {
    const { events, task } = recorder();
    const owner = new StackOwner(new LogBuffer());
    await owner.run(task('hersys'));
    const error = await owner.run(task('server', { failStart: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackError);
    expect((error as StackError).code).toBe('STACK_TASK_FAILED');
    expect((error as StackError).subject).toBe('server');
    expect((error as Error).message).toContain('server broke');
    expect(events).toEqual(['start hersys', 'start server', 'stop hersys']);
  });

  it('keeps stopping after a failed stop and reports every failure in one AggregateError', async () => {
    const { events, task } = recorder();
    const owner = new StackOwner(new LogBuffer());
    await owner.run(task('a', { failStop: true }));
    await owner.run(task('b', { failStop: true }));
    await owner.run(task('c'));
    const error = await owner.stop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: StackError) => e.subject)).toEqual(['b', 'a']);
    expect(events.slice(3)).toEqual(['stop c', 'stop b', 'stop a']);
  });

  it('refuses to start a task after an interrupt and aborts the start in progress', async () => {
    const owner = new StackOwner(new LogBuffer());
    let aborted = false;
    const pending = owner.run({
      title: 'slow',
      start: (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          }),
        ),
    });
    await owner.interrupt('test');
    await expect(pending).rejects.toMatchObject({ code: 'STACK_TASK_FAILED', subject: 'slow' });
    expect(aborted).toBe(true);
    await expect(owner.run({ title: 'late', start: async () => 1 })).rejects.toMatchObject({
      code: 'STACK_INTERRUPTED',
    });
  });
});
