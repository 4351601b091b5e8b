import { makeEvent } from '../../../canonical/index.js';
import type { EventLog } from '../../../eventlog/index.js';
import type { InboundLedger } from '../ports.js';

type Lines = ReadonlyArray<{ item: string; quantity: string }>;

/** Expected receipts and in-transit stock kept in memory (tests, and a hub without availability). */
export class MemoryInboundLedger implements InboundLedger {
  readonly entries = new Map<string, { state: 'on-order' | 'in-transit'; location: string; lines: Lines; eta?: string }>();

  async expect(poNumber: string, location: string, lines: Lines, eta?: string): Promise<void> {
    this.entries.set(poNumber, { state: 'on-order', location, lines, ...(eta ? { eta } : {}) });
  }

  async inTransit(poNumber: string, location: string, lines: Lines, eta?: string): Promise<void> {
    this.entries.set(poNumber, { state: 'in-transit', location, lines, ...(eta ? { eta } : {}) });
  }

  async clear(poNumber: string, _location: string): Promise<void> {
    this.entries.delete(poNumber);
  }
}

/**
 * In transit for availability: the ASN as `crossdock.asn.received.v1` under the number `PO/<po>`
 * (one in-transit record per PO), closed with status `received` when cleared. Availability does not
 * model stock on order, so `expect` does nothing. Event ids derive from
 * the PO, so a retried step publishes nothing twice.
 */
export class EventLogInboundLedger implements InboundLedger {
  constructor(
    private readonly eventlog: Pick<EventLog, 'publish'>,
    private readonly topic: string,
    private readonly source = 'crossdock://flow/procure-to-pay',
  ) {}

  async expect(): Promise<void> {}

  private async publish(poNumber: string, location: string, status: 'in-transit' | 'received', lines: Lines, eta?: string): Promise<void> {
    const asnNumber = `PO/${poNumber}`;
    const event = makeEvent({
      id: `p2p.${poNumber}.${status}`.replace(/[^A-Za-z0-9._:/-]/g, '-'),
      type: 'crossdock.asn.received.v1',
      source: this.source,
      subject: `purchaseorder/${poNumber}`,
      partitionkey: asnNumber,
      idempotencykey: `p2p:${poNumber}:${status}`,
      data: {
        id: `asn.${poNumber}`.replace(/[^A-Za-z0-9._:/-]/g, '-'),
        refs: {},
        ext: {},
        asnNumber,
        purpose: 'original',
        status,
        shipTo: { code: location },
        shippedAt: new Date().toISOString(),
        ...(eta ? { eta: eta.length === 10 ? `${eta}T12:00:00Z` : eta } : {}),
        trackingNumbers: [],
        orders: [
          {
            order: { type: 'purchaseorder', number: poNumber },
            packs: [],
            items: lines.map((l) => ({ item: { sku: l.item }, quantity: { value: l.quantity, uom: 'EA' }, lots: [] })),
          },
        ],
      },
    });
    await this.eventlog.publish(this.topic, [event]);
  }

  async inTransit(poNumber: string, location: string, lines: Lines, eta?: string): Promise<void> {
    await this.publish(poNumber, location, 'in-transit', lines, eta);
  }

  async clear(poNumber: string, location: string): Promise<void> {
    await this.publish(poNumber, location, 'received', []);
  }
}
