import { describe, expect, it } from 'vitest';
import { FaultBox, parseFaultSpec, parseNumberFaultSpec } from './faults.js';

describe('parseFaultSpec', () => {
  it('accepts each mode with its fields', () => {
    expect(parseFaultSpec({ mode: 'latency', latencyMs: 5 })).toEqual({ mode: 'latency', latencyMs: 5 });
    expect(parseFaultSpec({ mode: 'status', status: 429, count: 2 })).toEqual({
      mode: 'status',
      status: 429,
      count: 2,
    });
    expect(parseFaultSpec({ mode: 'down', forMs: 10 })).toEqual({ mode: 'down', forMs: 10 });
    expect(parseFaultSpec({ mode: 'timeout' })).toEqual({ mode: 'timeout' });
  });

  it('names the field that is wrong', () => {
    expect(() => parseFaultSpec([])).toThrow(/JSON object/);
    expect(() => parseFaultSpec({ mode: 'latency' })).toThrow(/^latencyMs: required/);
    expect(() => parseFaultSpec({ mode: 'status', status: 200 })).toThrow(/^status:/);
    expect(() => parseFaultSpec({ mode: 'timeout', status: 500 })).toThrow(/^status: only/);
    expect(() => parseFaultSpec({ mode: 'timeout', count: 0 })).toThrow(/^count:/);
    expect(() => parseFaultSpec({ mode: 'timeout', forMs: 5 })).toThrow(/^forMs:/);
  });
});

describe('FaultBox', () => {
  it('spends a counted fault one call at a time, then clears it', () => {
    const box = new FaultBox();
    box.set({ mode: 'status', status: 503, count: 2 });
    expect(box.take()?.mode).toBe('status');
    expect(box.active?.remaining).toBe(1);
    expect(box.take()?.mode).toBe('status');
    expect(box.take()).toBeNull();
  });

  it('keeps an uncounted fault until cleared', () => {
    const box = new FaultBox();
    box.set({ mode: 'timeout' });
    for (let i = 0; i < 5; i++) expect(box.take()?.mode).toBe('timeout');
    box.clear();
    expect(box.take()).toBeNull();
  });
});

describe('parseNumberFaultSpec', () => {
  it('accepts a fault with its numbers, each once', () => {
    expect(
      parseNumberFaultSpec({ mode: 'status', status: 503, count: 1, numbers: ['11', '22', '11'] }),
    ).toEqual({
      mode: 'status',
      status: 503,
      count: 1,
      numbers: ['11', '22'],
    });
  });

  it('names the field that is wrong', () => {
    expect(() => parseNumberFaultSpec({ mode: 'timeout' })).toThrow(/^numbers:/);
    expect(() => parseNumberFaultSpec({ mode: 'timeout', numbers: [] })).toThrow(/^numbers:/);
    expect(() => parseNumberFaultSpec({ mode: 'timeout', numbers: [12345678] })).toThrow(/^numbers:/);
    expect(() => parseNumberFaultSpec({ mode: 'down', numbers: ['12345678'] })).toThrow(/^mode: "down"/);
    expect(() => parseNumberFaultSpec({ mode: 'latency', numbers: ['12345678'] })).toThrow(/^latencyMs:/);
    expect(() => parseNumberFaultSpec('x')).toThrow(/JSON object/);
  });
});

describe('FaultBox by number', () => {
  it('gives a number its own fault; other calls meet the stub-wide one', () => {
    const box = new FaultBox();
    box.set({ mode: 'latency', latencyMs: 5 });
    box.setForNumbers({ mode: 'status', status: 503, numbers: ['11111111'] });
    expect(box.take('11111111')?.mode).toBe('status');
    expect(box.take('22222222')?.mode).toBe('latency');
    expect(box.take()?.mode).toBe('latency');
  });

  it('shares one budget among the numbers of one spec, then forgets them all', () => {
    const box = new FaultBox();
    box.setForNumbers({ mode: 'status', status: 503, count: 2, numbers: ['11111111', '22222222'] });
    expect(box.take('11111111')?.mode).toBe('status');
    expect(box.byNumber).toEqual([
      { mode: 'status', status: 503, count: 2, numbers: ['11111111', '22222222'], remaining: 1 },
    ]);
    expect(box.take('22222222')?.mode).toBe('status');
    expect(box.take('11111111')).toBeNull();
    expect(box.take('22222222')).toBeNull();
    expect(box.byNumber).toEqual([]);
  });

  it('a later spec takes over its numbers; the earlier keeps the rest', () => {
    const box = new FaultBox();
    box.setForNumbers({ mode: 'timeout', numbers: ['11111111', '22222222'] });
    box.setForNumbers({ mode: 'status', status: 429, count: 1, numbers: ['22222222'] });
    expect(box.byNumber.map((f) => [f.mode, f.numbers])).toEqual([
      ['timeout', ['11111111']],
      ['status', ['22222222']],
    ]);
    expect(box.take('22222222')?.mode).toBe('status');
    expect(box.take('22222222')).toBeNull();
    expect(box.take('11111111')?.mode).toBe('timeout');
  });

  it('clears the faults of given numbers, with the numbers that share them, and nothing else', () => {
    const box = new FaultBox();
    box.set({ mode: 'timeout' });
    box.setForNumbers({ mode: 'status', status: 503, numbers: ['11111111', '22222222'] });
    box.setForNumbers({ mode: 'status', status: 429, numbers: ['33333333'] });
    box.clearNumbers(['11111111']);
    expect(box.take('22222222')?.mode).toBe('timeout');
    expect(box.take('33333333')?.status).toBe(429);
    box.clearAll();
    expect(box.take('33333333')).toBeNull();
    expect(box.active).toBeNull();
  });
});
