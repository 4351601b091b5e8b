import type { z } from 'zod';
import { type Address, type Shipment, ShipmentV1 } from '../../../canonical/index.js';
import { ConnectorErrors } from '../../sdk/index.js';
import type { WmsAddress, WmsOrder, wmsExceptionSchema, wmsShipmentSchema } from '../wire.js';

export const WMS = 'wms';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

export function addressFromWms(a: WmsAddress): Address {
  const out: Address = { name: a.name, line1: a.address1, city: a.city, postalCode: a.postal_code };
  if (/^[A-Z]{2}$/.test(a.country)) out.country = a.country;
  if (a.company) out.company = a.company;
  if (a.address2) out.line2 = a.address2;
  if (a.region) out.region = a.region;
  if (a.phone) out.phone = a.phone;
  if (a.email) out.email = a.email;
  return out;
}

/** The order a WMS record belongs to: its reference is the crossdock order id we released it with. */
export function orderRef(order: Pick<WmsOrder, 'id' | 'reference'>) {
  return {
    type: 'salesorder' as const,
    ...(ID.test(order.reference) && order.reference.length <= 200 ? { id: order.reference } : {}),
    number: order.reference,
    refs: { [WMS]: order.id },
  };
}

function parse(draft: unknown, what: string): Shipment {
  const parsed = ShipmentV1.safeParse(draft);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw ConnectorErrors.mapping(`WMS ${what} → Shipment ${path}: ${issue?.message ?? 'invalid'}`, { path });
}

/** A shipment of a shipped WMS order as a dispatched canonical Shipment, lots and tracking included. */
export function shipmentFromWms(order: WmsOrder, shipment: z.infer<typeof wmsShipmentSchema>, instance: string): Shipment {
  const ref = orderRef(order);
  return parse(
    {
      id: `wms:${instance}:shipment:${shipment.id}`,
      refs: { [WMS]: shipment.id },
      ext: { [WMS]: { orderId: order.id, orderStatus: order.status } },
      shipmentNumber: shipment.id,
      status: 'dispatched',
      orders: [ref],
      shipFrom: { code: order.warehouse },
      shipTo: addressFromWms(order.ship_to),
      carrier: { name: shipment.carrier, ...(shipment.service ? { service: shipment.service } : {}) },
      trackingNumbers: [shipment.tracking_number],
      lines: shipment.lines.map((l) => ({
        lineNumber: String(l.line_no),
        order: ref,
        orderLineNumber: String(l.line_no),
        item: { sku: l.sku },
        quantity: { value: String(l.quantity), uom: 'EA' },
        lots: l.lots
          .filter((lot) => lot.lot !== 'UNLOTTED')
          .map((lot) => ({
            lot: lot.lot,
            quantity: { value: String(lot.quantity), uom: 'EA' },
            ...(lot.expires_on ? { expiryDate: lot.expires_on } : {}),
          })),
      })),
      shippedAt: shipment.shipped_at,
    },
    `shipment ${shipment.id}`,
  );
}

/** A warehouse exception (damaged, short) as a canonical Shipment in status `exception`. */
export function exceptionShipmentFromWms(order: WmsOrder, exception: z.infer<typeof wmsExceptionSchema>, instance: string): Shipment {
  const index = Math.max(
    0,
    order.exceptions.findIndex((e) => e.occurred_at === exception.occurred_at && e.sku === exception.sku),
  );
  const ref = orderRef(order);
  return parse(
    {
      id: `wms:${instance}:order:${order.id}:exception:${index + 1}`,
      refs: { [WMS]: order.id },
      ext: { [WMS]: { orderStatus: order.status } },
      status: 'exception',
      orders: [ref],
      shipFrom: { code: order.warehouse },
      shipTo: addressFromWms(order.ship_to),
      lines: [{ order: ref, item: { sku: exception.sku }, quantity: { value: String(exception.quantity), uom: 'EA' } }],
      exception: {
        code: exception.code,
        ...(exception.note ? { description: exception.note } : {}),
        occurredAt: exception.occurred_at,
      },
      events: [
        {
          status: 'exception',
          at: exception.occurred_at,
          code: exception.code,
          ...(exception.note ? { description: exception.note } : {}),
        },
      ],
    },
    `order ${order.id} exception`,
  );
}
