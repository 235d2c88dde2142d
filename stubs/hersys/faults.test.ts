import { describe, expect, it } from 'vitest';
import { FaultBox, parseFaultSpec } from './faults.js';

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
