import type { Address, SalesOrder } from '../../../canonical/index.js';
import { ConnectorErrors } from '../../sdk/index.js';

/** The body of POST /v1/orders (docs/sim/wms-api.md "Orders"). */
export interface WmsReleaseBody {
  reference: string;
  warehouse: string;
  ship_to: {
    name: string;
    company: string | null;
    address1: string;
    address2: string | null;
    city: string;
    region: string | null;
    postal_code: string;
    country: string;
    phone: string | null;
    email: string | null;
  };
  carrier: { code: string; service: string | null } | null;
  requested_ship_date: string | null;
  lines: Array<{ line_no: number; sku: string; quantity: number }>;
}

function required(value: string | undefined, path: string): string {
  if (!value) throw ConnectorErrors.mapping(`${path}: the warehouse needs it`, { path });
  return value;
}

function shipTo(a: Address | undefined): WmsReleaseBody['ship_to'] {
  if (!a) throw ConnectorErrors.mapping('order.shipTo: the warehouse needs a ship-to address', { path: 'order.shipTo' });
  return {
    name: required(a.name ?? a.company ?? a.attention, 'order.shipTo.name'),
    company: a.company ?? null,
    address1: required(a.line1, 'order.shipTo.line1'),
    address2: a.line2 ?? null,
    city: required(a.city, 'order.shipTo.city'),
    region: a.region ?? null,
    postal_code: required(a.postalCode, 'order.shipTo.postalCode'),
    country: required(a.country, 'order.shipTo.country'),
    phone: a.phone ?? null,
    email: a.email ?? null,
  };
}

/**
 * A canonical SalesOrder as a warehouse release. The reference is the crossdock order id: it is unique,
 * it lets a retry find the order (GET /v1/orders?reference=), and events coming back name the order.
 * Cancelled lines are not sent; quantities must be whole units.
 */
export function releaseFromSalesOrder(order: SalesOrder, warehouse: string): WmsReleaseBody {
  if (order.id.length > 100) throw ConnectorErrors.mapping('order.id: the warehouse reference holds 100 characters', { path: 'order.id' });
  const lines = order.lines
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.status !== 'cancelled' && line.status !== 'rejected')
    .map(({ line, i }) => {
      const path = `order.lines.${i}`;
      const quantity = Number(line.quantity.value);
      if (!Number.isInteger(quantity) || quantity <= 0) {
        throw ConnectorErrors.mapping(`${path}.quantity.value: the warehouse takes whole positive units`, {
          path: `${path}.quantity.value`,
        });
      }
      const lineNo = /^\d{1,9}$/.test(line.lineNumber) && Number(line.lineNumber) > 0 ? Number(line.lineNumber) : i + 1;
      return { line_no: lineNo, sku: required(line.item.sku, `${path}.item.sku`), quantity };
    });
  if (lines.length === 0) throw ConnectorErrors.mapping('order.lines: nothing left to release', { path: 'order.lines' });
  const carrier = order.shipping?.carrier;
  const carrierCode = carrier?.scac ?? carrier?.name;
  return {
    reference: order.id,
    warehouse,
    ship_to: shipTo(order.shipTo),
    carrier: carrierCode ? { code: carrierCode, service: carrier?.service ?? null } : null,
    requested_ship_date: order.requestedShipDate ?? null,
    lines,
  };
}
