import { describe, expect, it } from 'vitest';
import type { PlannedStep } from '../scenario/plan.js';
import { exclusiveSpan, HerSysLock, HerSysTurns } from './hersys-lock.js';

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

describe('exclusiveSpan', () => {
  const base = { index: 0, atEpochSeconds: 0, label: 'now' };
  const step = {
    encounter: { ...base, kind: 'encounter', spec: {} },
    diagnose: {
      ...base,
      kind: 'diagnose',
      patient: 'a',
      testDate: '2026-11-30',
      symptomOnsetDate: null,
      testType: 'PCR',
      via: 'api',
    },
    upload: { ...base, kind: 'upload', who: 'a', number: 'issued' },
    expiredUpload: { ...base, kind: 'upload', who: 'a', number: 'expired' },
    down: { ...base, kind: 'fault', fault: 'down', scope: 'stub' },
    clear: { ...base, kind: 'fault', fault: 'clear', scope: 'stub' },
    ownFault: { ...base, kind: 'fault', fault: '5xx', scope: 'cell' },
    ownClear: { ...base, kind: 'fault', fault: 'clear', scope: 'cell' },
    serverDown: { ...base, kind: 'server-fault', fault: 'down' },
    publish: { ...base, kind: 'publish' },
    check: { ...base, kind: 'check', who: 'b', forced: true },
  } as unknown as Record<string, PlannedStep>;
  const span = (...names: string[]) => exclusiveSpan(names.map((n) => step[n] as PlannedStep));

  it('runs from the first step that changes HER-SYS for everyone to the last that reaches it', () => {
    const faultSpan = (first: number, last: number) => ({ first, last, clock: false });
    expect(span('encounter', 'diagnose', 'down', 'upload', 'clear', 'publish', 'check')).toEqual(
      faultSpan(2, 4),
    );
    // A fault never cleared by the scenario: the span ends at the upload (the fault is cleared then).
    expect(span('encounter', 'diagnose', 'down', 'upload', 'upload', 'publish', 'check')).toEqual(
      faultSpan(2, 4),
    );
    // A HER-SYS step after the fault's own, even a diagnosis, is played within the span.
    expect(span('down', 'publish', 'diagnose', 'check')).toEqual(faultSpan(0, 2));
    // Moving the clock: numbers issued meanwhile would be dated by it too.
    expect(span('diagnose', 'expiredUpload', 'publish', 'check')).toEqual({ first: 1, last: 1, clock: true });
    expect(span('down', 'upload', 'expiredUpload', 'check')).toEqual({ first: 0, last: 2, clock: true });
  });

  it('is none for a cell that changes nothing HER-SYS answers others (server faults, its own numbers)', () => {
    expect(span('encounter', 'diagnose', 'serverDown', 'upload', 'publish', 'check')).toBeUndefined();
    expect(span('encounter', 'diagnose', 'ownFault', 'upload', 'ownClear', 'check')).toBeUndefined();
  });
});

describe('HerSysTurns', () => {
  type Take = (work: () => Promise<void>) => Promise<void>;
  /** Takes a turn with `take`, holding it `ms`; the log says when it began (+) and ended (-). */
  const holder = (log: string[], name: string, take: Take, ms = 0) =>
    take(async () => {
      log.push(`${name}+`);
      await tick(ms);
      log.push(`${name}-`);
    });

  it('lets numbers be issued during a fault, while uploads wait for it to be cleared', async () => {
    const turns = new HerSysTurns();
    const log: string[] = [];
    const fault = holder(log, 'fault', (w) => turns.exclusive({ clock: false }, w), 30);
    await tick(1);
    const issuing = holder(log, 'issue', (w) => turns.shared('issuing', w));
    const upload = holder(log, 'upload', (w) => turns.shared('verifying', w));
    await Promise.all([fault, issuing, upload]);
    expect(log).toEqual(['fault+', 'issue+', 'issue-', 'fault-', 'upload+', 'upload-']);
  });

  it('lets a fault begin while a number is being issued (a web screen takes seconds)', async () => {
    const turns = new HerSysTurns();
    const log: string[] = [];
    const issuing = holder(log, 'issue', (w) => turns.shared('issuing', w), 40);
    await tick(1);
    const fault = holder(log, 'fault', (w) => turns.exclusive({ clock: false }, w));
    await Promise.all([issuing, fault]);
    expect(log).toEqual(['issue+', 'fault+', 'fault-', 'issue-']);
  });

  it('keeps everyone out while the clock is moved, and a clock move waits for numbers being issued', async () => {
    const turns = new HerSysTurns();
    const log: string[] = [];
    const issuing = holder(log, 'issue', (w) => turns.shared('issuing', w), 20);
    await tick(1);
    const clock = holder(log, 'clock', (w) => turns.exclusive({ clock: true }, w), 20);
    await tick(1);
    const later = holder(log, 'later', (w) => turns.shared('issuing', w));
    const upload = holder(log, 'upload', (w) => turns.shared('verifying', w));
    await Promise.all([issuing, clock, later, upload]);
    expect(log.slice(0, 4)).toEqual(['issue+', 'issue-', 'clock+', 'clock-']);
    expect(log.slice(4).sort()).toEqual(['later+', 'later-', 'upload+', 'upload-']);
  });
});
