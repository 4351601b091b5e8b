import type { OutboundFileSender } from '../../connectors/sdk/index.js';
import { type Clock, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';

export interface OutboxFile {
  /** Stable id: the upload happens once per id (`ack:acme:000000012`, `out:acme:000000044`). */
  id: string;
  partner: string;
  path: string;
  content: string;
}

/**
 * Files to send, recorded in the caller's transaction (with the receipt of what they answer, or with
 * the control numbers they use) and uploaded after commit. `OutboundFileSender` never uploads an id
 * twice, so flushing again after a crash is safe.
 */
export class EdiOutbox {
  private readonly clock: Clock;
  constructor(
    private readonly store: Store,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async enqueue(file: OutboxFile, tx?: Tx): Promise<void> {
    await this.store.transaction(async (t) => {
      await t.db
        .insertInto('edi_outbox')
        .values({ ...file, created_at: this.clock.now(), sent_at: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }, tx);
  }

  async pending(partner: string): Promise<OutboxFile[]> {
    const rows = await this.store.db
      .selectFrom('edi_outbox')
      .select(['id', 'partner', 'path', 'content'])
      .where('partner', '=', partner)
      .where('sent_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows;
  }

  /** Uploads what is waiting for a partner; returns the ids sent. */
  async flush(partner: string, sender: OutboundFileSender): Promise<string[]> {
    const sent: string[] = [];
    for (const f of await this.pending(partner)) {
      await sender.send({ documentId: f.id, path: f.path, content: f.content });
      await this.store.db.updateTable('edi_outbox').set({ sent_at: this.clock.now() }).where('id', '=', f.id).execute();
      sent.push(f.id);
    }
    return sent;
  }
}
