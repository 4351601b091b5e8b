import { z } from 'zod';

export const controlScopeSchema = z.object({
  /** UNB 0020, UNG 0048 or UNH 0062. */
  level: z.enum(['interchange', 'group', 'message']),
  sender: z.string(),
  recipient: z.string(),
});
export type ControlScope = z.infer<typeof controlScopeSchema>;

/**
 * Hands out outbound control references. A durable implementation must never hand out the same value
 * twice for a scope, even across restarts: partners use 0020 for duplicate detection.
 */
export interface ControlNumberAllocator {
  next(scope: ControlScope): Promise<string>;
}

/** The three control references are an..14 (ISO 9735); counters stay within 14 digits. */
const MAX = 99_999_999_999_999;

/** Per-scope counters in memory, zero-padded to `width` digits. For tests and single-process demos. */
export class InMemoryControlNumberAllocator implements ControlNumberAllocator {
  private readonly counters = new Map<string, number>();
  constructor(
    private readonly width = 9,
    private readonly start = 1,
  ) {}

  async next(scope: ControlScope): Promise<string> {
    const key = `${scope.level}|${scope.sender}|${scope.recipient}`;
    const current = this.counters.get(key);
    const value = current === undefined ? this.start : current >= MAX ? 1 : current + 1;
    this.counters.set(key, value);
    return String(value).padStart(this.width, '0');
  }
}
