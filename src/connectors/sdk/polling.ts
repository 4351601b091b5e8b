import { type Clock, type Logger, sleep, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';

export interface PollPage<T> {
  items: T[];
  /** The cursor to resume from; saved with the page's effects. */
  cursor: string;
  /** More pages are ready now (do not wait for the interval). */
  more: boolean;
}

export interface PollingTriggerOptions<T> {
  store: Store;
  connector: string;
  instance: string;
  trigger: string;
  /** Where a trigger starts when it has never run (e.g. an ISO time for `lastModified >`). */
  initialCursor: string;
  poll(cursor: string): Promise<PollPage<T>>;
  /** Applies a page in the same transaction that saves the new cursor. */
  handle(items: T[], tx: Tx): Promise<void>;
  intervalMs: number;
  logger?: Logger;
  clock?: Clock;
}

/**
 * Polls a system for changes (SuiteQL `lastmodifieddate >`, Odoo `write_date >`). The cursor is
 * durable and advances in the same transaction as the page's effects: a crash repeats at most the
 * page in flight, and the handler's effects are keyed so that a repeat changes nothing.
 */
export class PollingTrigger<T> {
  private stopped = false;
  private readonly clock: Clock;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly options: PollingTriggerOptions<T>) {
    this.clock = options.clock ?? systemClock;
  }

  async cursor(): Promise<string> {
    const { store, connector, instance, trigger } = this.options;
    const row = await store.db
      .selectFrom('connector_cursors')
      .select('cursor')
      .where('connector', '=', connector)
      .where('instance', '=', instance)
      .where('trigger', '=', trigger)
      .executeTakeFirst();
    return row?.cursor ?? this.options.initialCursor;
  }

  /** One poll: returns how many items it applied and whether more are waiting. */
  async pollOnce(): Promise<{ applied: number; more: boolean }> {
    const { store, connector, instance, trigger } = this.options;
    const page = await this.options.poll(await this.cursor());
    await store.transaction(async (tx) => {
      await this.options.handle(page.items, tx);
      const now = this.clock.now();
      await tx.db
        .insertInto('connector_cursors')
        .values({ connector, instance, trigger, cursor: page.cursor, updated_at: now })
        .onConflict((oc) => oc.columns(['connector', 'instance', 'trigger']).doUpdateSet({ cursor: page.cursor, updated_at: now }))
        .execute();
    });
    return { applied: page.items.length, more: page.more };
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        let more = false;
        try {
          more = (await this.pollOnce()).more;
        } catch (err) {
          this.options.logger?.warn({ err, trigger: this.options.trigger }, 'poll failed; retrying at the next interval');
        }
        if (!more) await sleep(this.options.intervalMs, this.abort.signal);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }
}
