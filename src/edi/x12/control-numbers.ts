import { X12Errors } from './errors.js';

export type ControlNumberKind = 'interchange' | 'group' | 'transaction';

/**
 * Hands out outbound control numbers per trading partner and kind: consecutive, never reused. A durable
 * implementation must make `next` atomic (one row per partner and kind, incremented in a transaction).
 */
export interface ControlNumberAllocator {
  next(partner: string, kind: ControlNumberKind): Promise<number>;
}

/** ISA13 is N0 9/9, GS06 N0 1/9, ST02 AN 4/9: all fit 999,999,999. */
export const MAX_CONTROL_NUMBER = 999_999_999;

/** In-memory allocator for tests and the embedded demo. */
export class InMemoryControlNumberAllocator implements ControlNumberAllocator {
  private readonly last = new Map<string, number>();

  constructor(private readonly start: number = 1) {
    if (!Number.isInteger(start) || start < 1 || start > MAX_CONTROL_NUMBER) {
      throw X12Errors.controlNumber(`control numbers must start between 1 and ${MAX_CONTROL_NUMBER}`, { start });
    }
  }

  async next(partner: string, kind: ControlNumberKind): Promise<number> {
    const key = `${kind}\u0000${partner}`;
    const previous = this.last.get(key);
    const value = previous === undefined ? this.start : previous + 1;
    if (value > MAX_CONTROL_NUMBER) {
      // Wrapping would reuse numbers a partner may still hold for duplicate detection.
      throw X12Errors.controlNumber(`${kind} control numbers for ${partner} are exhausted`, { partner, kind });
    }
    this.last.set(key, value);
    return value;
  }
}

/** The control number as the envelope writes it: ISA13 zero-padded to 9, ST02 to at least 4, GS06 as is. */
export function formatControlNumber(value: number, kind: ControlNumberKind): string {
  const text = String(value);
  if (kind === 'interchange') return text.padStart(9, '0');
  if (kind === 'transaction') return text.padStart(4, '0');
  return text;
}
