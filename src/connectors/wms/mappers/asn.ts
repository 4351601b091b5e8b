import type { AdvanceShipNotice } from '../../../canonical/index.js';
import { ConnectorErrors } from '../../sdk/index.js';

/** The body of POST /v1/asns: an expected receipt, one line per item (and lot) in the notice. */
export interface WmsAsnBody {
  reference: string;
  location: string;
  supplier: string | null;
  expected_at: string | null;
  lines: Array<{ sku: string; quantity: number; lot: string | null; expires_on: string | null }>;
}

/** Flattens the ASN hierarchy (orders → packs → items, and loose items) into the warehouse's expected lines. */
export function asnBodyFromCanonical(asn: AdvanceShipNotice, location: string): WmsAsnBody {
  const lines: WmsAsnBody['lines'] = [];
  for (const [o, order] of asn.orders.entries()) {
    const items = [
      ...order.packs.flatMap((pack, p) => pack.items.map((item, i) => ({ item, path: `orders.${o}.packs.${p}.items.${i}` }))),
      ...order.items.map((item, i) => ({ item, path: `orders.${o}.items.${i}` })),
    ];
    for (const { item, path } of items) {
      const sku = item.item.sku;
      if (!sku) throw ConnectorErrors.mapping(`asn.${path}.item.sku: the warehouse needs a SKU`, { path: `asn.${path}.item.sku` });
      const whole = (value: string, where: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n <= 0)
          throw ConnectorErrors.mapping(`asn.${where}: whole positive units expected`, { path: `asn.${where}` });
        return n;
      };
      const lotted = item.lots.filter((l) => l.lot !== undefined && l.quantity !== undefined);
      if (lotted.length > 0) {
        for (const [l, lot] of lotted.entries()) {
          lines.push({
            sku,
            quantity: whole(lot.quantity?.value ?? '0', `${path}.lots.${l}.quantity.value`),
            lot: lot.lot ?? null,
            expires_on: lot.expiryDate ?? null,
          });
        }
      } else {
        const lot = item.lots[0];
        lines.push({
          sku,
          quantity: whole(item.quantity.value, `${path}.quantity.value`),
          lot: lot?.lot ?? null,
          expires_on: lot?.expiryDate ?? null,
        });
      }
    }
  }
  if (lines.length === 0) throw ConnectorErrors.mapping('asn.orders: no items to expect', { path: 'asn.orders' });
  const supplier = asn.shipper?.name ?? asn.shipper?.number ?? null;
  return {
    reference: asn.asnNumber,
    location,
    supplier,
    expected_at: asn.eta ?? null,
    lines,
  };
}
