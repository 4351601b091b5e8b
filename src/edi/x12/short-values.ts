import type { X12Element } from './segment.js';

const BITS = 16;
const SIZE = 1 << BITS;
const MASK = SIZE - 1;
/** Stop inserting at 3/4 full so probes stay short. */
const LIMIT = (SIZE * 3) >> 2;

/**
 * Interning table for values of up to four ASCII chars (qualifiers, units, codes, small numbers), which repeat
 * endlessly in X12: one frozen element is shared instead of allocating a string and two arrays each time.
 * Open addressing over an Int32Array: a Map keyed by numbers was the tokenizer's hottest line.
 */
export class ShortValueTable {
  private readonly keys = new Int32Array(SIZE).fill(-1);
  private readonly values: X12Element[] = new Array(SIZE);
  private count = 0;

  /**
   * The element interned under `key` (which packs the length in bits 28-30 and four 7-bit chars), or undefined.
   * Lookup and `add` are apart so that a lookup allocates nothing: the `make` closure the former `get` took was
   * created on every call, hit or miss, and cost about a quarter of the tokenizer's time.
   */
  find(key: number): X12Element | undefined {
    let h = Math.imul(key, 0x9e3779b1) >>> (32 - BITS);
    for (;;) {
      const k = this.keys[h];
      if (k === key) return this.values[h];
      if (k === -1) return undefined;
      h = (h + 1) & MASK;
    }
  }

  /** Interns `value` under `key` unless the table is full; returns `value` either way. */
  add(key: number, value: X12Element): X12Element {
    if (this.count >= LIMIT) return value;
    let h = Math.imul(key, 0x9e3779b1) >>> (32 - BITS);
    for (;;) {
      const k = this.keys[h];
      if (k === key) return value;
      if (k === -1) {
        this.keys[h] = key;
        this.values[h] = value;
        this.count++;
        return value;
      }
      h = (h + 1) & MASK;
    }
  }
}
