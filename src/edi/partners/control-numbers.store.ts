import { type Clock, defineError, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';
import type { ControlScope, ControlNumberAllocator as EdifactAllocator } from '../edifact/index.js';
import type { ControlNumberKind, ControlNumberAllocator as X12Allocator } from '../x12/index.js';

export const ControlNumberErrors = {
  exhausted: defineError('CD_ERR_EDI_CONTROL_NUMBER_EXHAUSTED', { class: 'permanent', title: 'Control numbers exhausted' }),
} as const;

export type ControlLevel = 'interchange' | 'group' | 'transaction' | 'message';

const UPDATE =
  'UPDATE edi_control_numbers SET last_value = last_value + 1, updated_at = ? WHERE partner = ? AND level = ? AND last_value < ? RETURNING last_value';
const INSERT =
  'INSERT INTO edi_control_numbers (partner, level, last_value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (partner, level) DO NOTHING';

/**
 * Outbound control numbers from the store: one counter per partner and level, advanced by a single
 * `UPDATE … RETURNING` inside a transaction. The row lock serialises concurrent callers (PostgreSQL) or
 * the write lock does (SQLite), so numbers are consecutive, never skipped and never handed out twice;
 * a number taken inside a caller's transaction is given back if that transaction rolls back.
 */
export class StoreControlNumbers {
  private readonly clock: Clock;
  private readonly max: number;
  private readonly start: number;

  constructor(
    private readonly store: Store,
    options: { clock?: Clock; max?: number; start?: number } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    // X12 ISA13/GS06/ST02 fit 9 digits; EDIFACT references are an..14 but partners expect 9 too.
    this.max = options.max ?? 999_999_999;
    this.start = options.start ?? 1;
  }

  async next(partner: string, level: ControlLevel, tx?: Tx): Promise<number> {
    return this.store.transaction(async (t) => {
      const now = this.clock.now();
      const updated = await t.all<{ last_value: number | string }>(UPDATE, [now, partner, level, this.max]);
      if (updated[0]) return Number(updated[0].last_value);
      if ((await t.run(INSERT, [partner, level, this.start, now])) === 1) return this.start;
      // Another caller created the row first (PostgreSQL read committed sees it now), or it is at the maximum.
      const again = await t.all<{ last_value: number | string }>(UPDATE, [now, partner, level, this.max]);
      if (again[0]) return Number(again[0].last_value);
      throw ControlNumberErrors.exhausted(`${level} control numbers for ${partner} are exhausted (max ${this.max})`, { partner, level });
    }, tx);
  }

  /** The x12 codec's allocator for one partner (`acknowledge()` passes its own partner key; the profile id wins). */
  x12(partner: string, tx?: Tx): X12Allocator {
    return { next: (_key: string, kind: ControlNumberKind) => this.next(partner, kind, tx) };
  }

  /** The EDIFACT codec's allocator for one partner: references as 9 digits, zero-padded. */
  edifact(partner: string, tx?: Tx): EdifactAllocator {
    return { next: async (scope: ControlScope) => String(await this.next(partner, scope.level, tx)).padStart(9, '0') };
  }
}
