import { describe, expect, it } from 'vitest';
import { Ring } from './ring.js';

describe('Ring', () => {
  it('keeps the newest items, numbered as they came, and counts the dropped', () => {
    const ring = new Ring<string>(3);
    for (const x of ['a', 'b', 'c', 'd', 'e']) ring.push(x);
    expect(ring.toArray()).toEqual(['c', 'd', 'e']);
    expect({ total: ring.total, dropped: ring.dropped, size: ring.size }).toEqual({
      total: 5,
      dropped: 2,
      size: 3,
    });
  });

  it('pages after a cursor, skipping what was dropped, and never repeats an item', () => {
    const ring = new Ring<number>(4);
    for (let i = 1; i <= 10; i++) ring.push(i);
    expect(ring.after(0, 2)).toEqual({ items: [7, 8], last: 8 });
    expect(ring.after(8, 5)).toEqual({ items: [9, 10], last: 10 });
    expect(ring.after(10)).toEqual({ items: [], last: 10 });
  });

  it('forgets on clear without reusing numbers or counting the cleared as dropped', () => {
    const ring = new Ring<number>(4);
    for (let i = 1; i <= 6; i++) ring.push(i);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
    expect(ring.dropped).toBe(2);
    expect(ring.push(7)).toBe(7);
    expect(ring.after(0)).toEqual({ items: [7], last: 7 });
  });

  it('refuses a capacity below 1', () => {
    expect(() => new Ring(0)).toThrow(RangeError);
  });
});
