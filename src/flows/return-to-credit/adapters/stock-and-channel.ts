import { makeEvent } from '../../../canonical/index.js';
import type { EventLog } from '../../../eventlog/index.js';
import type { ReturnRequest } from '../documents.js';
import type { ChannelRefunds, ReturnStock } from '../ports.js';

type Lines = ReadonlyArray<{ item: string; quantity: number }>;

/** Restock and scrap decisions kept in memory (tests, and a hub without availability). */
export class MemoryReturnStock implements ReturnStock {
  readonly restocked = new Map<string, Lines>();
  readonly scrapped = new Map<string, Lines>();

  async restock(returnId: string, _location: string, lines: Lines): Promise<void> {
    this.restocked.set(returnId, lines);
  }

  async scrap(returnId: string, _location: string, lines: Lines): Promise<void> {
    this.scrapped.set(returnId, lines);
  }
}

/**
 * Returned units in availability. The warehouse books every returned unit on hand when it receives
 * the return (its receipt reaches availability like any other), so a restock changes nothing there;
 * scrapped units leave on-hand stock as a `crossdock.inventory.movement.v1` adjustment (reason
 * `return-scrap`). Event ids derive from the return, so a retried step publishes nothing twice.
 */
export class EventLogReturnStock implements ReturnStock {
  constructor(
    private readonly eventlog: Pick<EventLog, 'publish'>,
    private readonly topic: string,
  ) {}

  async restock(): Promise<void> {}

  async scrap(returnId: string, location: string, lines: Lines): Promise<void> {
    const events = lines.map((l) =>
      makeEvent({
        id: `r2c.${returnId}.scrap.${l.item}`.replace(/[^A-Za-z0-9._:/-]/g, '-'),
        type: 'crossdock.inventory.movement.v1',
        source: 'crossdock://flow/return-to-credit',
        subject: `return/${returnId}`,
        partitionkey: `${l.item}@${location}`,
        idempotencykey: `r2c:${returnId}:scrap:${l.item}`,
        data: {
          kind: 'adjustment',
          source: 'crossdock',
          item: { sku: l.item },
          location: { code: location },
          quantity: { value: String(-l.quantity), uom: 'EA' },
          order: { type: 'returnauthorization', number: returnId },
          reason: 'return-scrap',
          occurredAt: new Date().toISOString(),
        },
      }),
    );
    if (events.length > 0) await this.eventlog.publish(this.topic, events);
  }
}

/** Refund statuses in memory, per return (tests, and a channel without a refund API wired). */
export class MemoryChannelRefunds implements ChannelRefunds {
  readonly statuses = new Map<string, Array<{ state: string; amount?: string }>>();

  async refundStatus(request: ReturnRequest, status: Parameters<ChannelRefunds['refundStatus']>[1]): Promise<void> {
    const list = this.statuses.get(request.returnId) ?? [];
    // The same status twice (a retried step) is recorded once.
    if (list.at(-1)?.state !== status.state) list.push({ state: status.state, ...(status.amount ? { amount: status.amount } : {}) });
    this.statuses.set(request.returnId, list);
  }

  /** The latest status of a return. */
  current(returnId: string): string | undefined {
    return this.statuses.get(returnId)?.at(-1)?.state;
  }
}

/**
 * Refund statuses as `crossdock.return.refund-status.v1` events for the channel connector to push
 * (Shopify: a refund on the order; a marketplace: its return API).
 */
export class EventLogChannelRefunds implements ChannelRefunds {
  constructor(
    private readonly eventlog: Pick<EventLog, 'publish'>,
    private readonly topic: string,
  ) {}

  async refundStatus(request: ReturnRequest, status: Parameters<ChannelRefunds['refundStatus']>[1]): Promise<void> {
    await this.eventlog.publish(this.topic, [
      makeEvent({
        id: `r2c.${request.returnId}.${status.state}`.replace(/[^A-Za-z0-9._:/-]/g, '-'),
        type: 'crossdock.return.refund_status.v1',
        source: 'crossdock://flow/return-to-credit',
        subject: `return/${request.returnId}`,
        partitionkey: request.order,
        idempotencykey: `r2c:${request.returnId}:${status.state}`,
        data: { returnId: request.returnId, order: request.order, channelRef: request.source.ref, ...status },
      }),
    ]);
  }
}
