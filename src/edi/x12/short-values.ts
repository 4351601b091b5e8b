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

  /** `key` packs the length (bits 28-30) and the four 7-bit chars; see `shortKey`. */
  get(key: number, make: () => X12Element): X12Element {
    let h = Math.imul(key, 0x9e3779b1) >>> (32 - BITS);
    for (;;) {
      const k = this.keys[h];
      if (k === key) return this.values[h] ?? make();
      if (k === -1) {
        const value = make();
        if (this.count < LIMIT) {
          this.keys[h] = key;
          this.values[h] = value;
          this.count++;
        }
        return value;
      }
      h = (h + 1) & MASK;
    }
  }
}
