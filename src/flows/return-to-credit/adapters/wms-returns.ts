import type { ExceptionSink, WmsInbound } from '../../procure-to-pay/index.js';
import type { WarehouseReturns } from '../ports.js';

/**
 * Expected returns at the 3PL, as ASNs referenced by RMA number. The 3PL API has no way to withdraw
 * an ASN, so an undo opens an exception asking the warehouse team to cancel it there: the
 * expectation is never left behind unnoticed.
 */
export class WmsReturns implements WarehouseReturns {
  constructor(
    private readonly wms: WmsInbound,
    private readonly exceptions: ExceptionSink,
  ) {}

  expectReturn(r: Parameters<WarehouseReturns['expectReturn']>[0]): Promise<{ id: string }> {
    return this.wms.expectReceipt({ reference: r.reference, location: r.location, supplier: `customer:${r.customer}`, lines: r.lines });
  }

  async cancelExpected(reference: string, location: string): Promise<void> {
    await this.exceptions.raise({
      category: 'warehouse.expected-return-cancel',
      title: `Cancel the expected return ${reference} at the 3PL (${location}); the RMA was withdrawn`,
      source: 'flow/return-to-credit',
      subject: `return/${reference}`,
      warehouse: location,
      severity: 'low',
      dedupeKey: `wms-cancel:${reference}`,
      detail: { reference },
    });
  }
}
