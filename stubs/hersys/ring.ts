/**
 * The newest `capacity` items of a sequence that may run for weeks: item n (numbered from 1 as they
 * came) replaces item n − capacity, so memory stays flat however many come. `dropped` counts those
 * no longer kept; `clear()` forgets the kept ones but never reuses a number.
 */
export class Ring<T> {
  readonly #slots: (T | undefined)[];
  #total = 0;
  #dropped = 0;
  /** Items up to this number were cleared (not dropped). */
  #clearedThrough = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
    this.#slots = new Array(capacity);
  }

  /** Appends an item and returns its number. */
  push(item: T): number {
    // The item this one replaces, if it was still kept (not cleared), is dropped.
    if (this.#total - this.capacity >= this.#clearedThrough) this.#dropped += 1;
    this.#slots[this.#total % this.capacity] = item;
    this.#total += 1;
    return this.#total;
  }

  /** How many items ever came. */
  get total(): number {
    return this.#total;
  }

  /** How many items were pushed out by newer ones (not counting those cleared). */
  get dropped(): number {
    return this.#dropped;
  }

  /** The number of the oldest item kept, minus one. */
  get #before(): number {
    return Math.max(this.#total - this.capacity, this.#clearedThrough);
  }

  get size(): number {
    return this.#total - this.#before;
  }

  /** Kept items numbered after `after`, oldest first, at most `limit`; `last` is the last one's number. */
  after(after: number, limit = Number.POSITIVE_INFINITY): { items: T[]; last: number } {
    const from = Math.max(after, this.#before) + 1;
    const to = Math.min(this.#total, from - 1 + limit);
    const items: T[] = [];
    for (let n = from; n <= to; n++) items.push(this.#slots[(n - 1) % this.capacity] as T);
    return { items, last: Math.max(after, to) };
  }

  /** Every kept item, oldest first. */
  toArray(): T[] {
    return this.after(0).items;
  }

  clear(): void {
    this.#clearedThrough = this.#total;
    this.#slots.fill(undefined);
  }
}
