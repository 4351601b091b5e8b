import { type Clock, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';

const CLAIM =
  'INSERT INTO edi_interchanges_seen (partner, key, received_at, source) VALUES (?, ?, ?, ?) ON CONFLICT (partner, key) DO NOTHING';

/**
 * Interchanges received, per partner. `claim` is the duplicate check and the record in one atomic
 * insert: of two processes receiving the same interchange, exactly one gets `true`. Inside the
 * caller's transaction it commits (or rolls back) with the processing of the interchange.
 */
export class StoreSeenInterchanges {
  private readonly clock: Clock;
  constructor(
    private readonly store: Store,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** True when the interchange is new (and is now recorded); false when it was seen before. */
  async claim(partner: string, key: string, source?: string, tx?: Tx): Promise<boolean> {
    return this.store.transaction(async (t) => (await t.run(CLAIM, [partner, key, this.clock.now(), source ?? null])) === 1, tx);
  }

  /**
   * The codecs' `{ has, add }` shape backed by one claim: `has` performs the insert and answers
   * whether it was already there, so the check cannot race; `add` has nothing left to do.
   */
  registry(partner: string, source?: string, tx?: Tx): { has(key: string): Promise<boolean>; add(key: string): Promise<void> } {
    return {
      has: async (key: string) => !(await this.claim(partner, key, source, tx)),
      add: async () => {},
    };
  }
}
