import { describe, expect, it } from 'vitest';
import { HerSysLock } from './hersys-lock.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('HerSysLock', () => {
  it('lets shared holders run together and an exclusive one alone', async () => {
    const lock = new HerSysLock();
    const log: string[] = [];
    const hold = (name: string, how: 'shared' | 'exclusive', ms: number) =>
      lock[how](async () => {
        log.push(`${name}+`);
        await tick(ms);
        log.push(`${name}-`);
      });
    await Promise.all([hold('r1', 'shared', 20), hold('r2', 'shared', 20), hold('w', 'exclusive', 10)]);
    // r1 and r2 overlap; w starts only after both ended.
    expect(log.slice(0, 2).sort()).toEqual(['r1+', 'r2+']);
    expect(log.indexOf('w+')).toBeGreaterThan(Math.max(log.indexOf('r1-'), log.indexOf('r2-')));
    expect(log.indexOf('w-')).toBe(log.indexOf('w+') + 1);
  });

  it('makes new shared holders wait behind a waiting exclusive one (no starvation)', async () => {
    const lock = new HerSysLock();
    const log: string[] = [];
    const first = lock.shared(async () => {
      await tick(20);
      log.push('r1');
    });
    await tick(1);
    const writer = lock.exclusive(async () => void log.push('w'));
    await tick(1);
    const late = lock.shared(async () => void log.push('r2'));
    await Promise.all([first, writer, late]);
    expect(log).toEqual(['r1', 'w', 'r2']);
  });

  it('passes the stub on when a holder fails', async () => {
    const lock = new HerSysLock();
    await expect(lock.exclusive(async () => Promise.reject(new Error('fault cell broke')))).rejects.toThrow();
    await expect(lock.shared(async () => 'next')).resolves.toBe('next');
    await expect(lock.exclusive(async () => 'after')).resolves.toBe('after');
  });
});
