import type { WorkflowEngine } from '../../workflow/index.js';
import type { SupplierDocument } from './adapters/supplier-channels.js';
import type { WmsInbound } from './adapters/wms-inbound.js';
import { P2P_SIGNALS } from './events.js';

/** What inbound adapters need of the engine: deliver a signal once (the id dedupes redeliveries). */
export type SignalSink = Pick<WorkflowEngine, 'signal'>;

/** Delivers a supplier document to the procure-to-pay instance of its PO. */
export function deliverSupplierDocument(engine: SignalSink, doc: SupplierDocument): Promise<boolean> {
  const type = doc.type === 'ack' ? P2P_SIGNALS.ack : doc.type === 'asn' ? P2P_SIGNALS.asn : P2P_SIGNALS.invoice;
  return engine.signal(type, doc.body.poNumber, doc.body, { id: doc.id });
}

/**
 * Signals every receipt the WMS has booked to the flow waiting on its reference (PO or RMA
 * number). The signal id is the WMS ASN id, so polling again delivers nothing twice.
 */
export async function deliverWarehouseReceipts(
  engine: SignalSink,
  wms: WmsInbound,
  type: string = P2P_SIGNALS.receipt,
  accept: (reference: string) => boolean = () => true,
): Promise<number> {
  let delivered = 0;
  for (const r of await wms.receivedAsns()) {
    if (!accept(r.receipt.reference)) continue;
    if (await engine.signal(type, r.receipt.reference, r.receipt, { id: `wms-receipt:${type}:${r.asnId}` })) delivered += 1;
  }
  return delivered;
}
