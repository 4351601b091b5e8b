import type { Envelope, ReturnAuthorization } from '../../canonical/index.js';
import { money } from '../procure-to-pay/index.js';
import type { ReturnRequestInput } from './documents.js';

/** The unit price of a line credited `amount` for `quantity` units, to 4 decimals (exact when it divides). */
function unitPriceOf(amount: string, quantity: number): string {
  const a = money.dec(amount);
  const scaled = a.units * 10n ** BigInt(4 + 1 - a.scale);
  const q = BigInt(quantity);
  const tenths = scaled / q;
  const rounded = (tenths + 5n) / 10n;
  return money.format({ units: rounded, scale: 4 }, 4);
}

/**
 * A canonical `crossdock.return.requested.v1` (ReturnAuthorization) as a return-to-credit request.
 * The source system decides where statuses go back: a CRM connector (Salesforce) or a channel.
 */
export function returnRequestFromCanonical(envelope: Envelope, ra: ReturnAuthorization, defaultLocation: string): ReturnRequestInput {
  const fromCrm = /salesforce|crm/i.test(envelope.source);
  const ref = Object.values(ra.refs)[0] ?? ra.id;
  return {
    returnId: ra.rmaNumber,
    source: { system: fromCrm ? 'crm' : 'channel', ref },
    order: ra.order?.number ?? ra.order?.id ?? 'unknown',
    customer: ra.customer.number ?? ra.customer.id ?? ra.customer.name ?? 'unknown',
    location: ra.returnTo?.code ?? defaultLocation,
    ...(ra.lines[0]?.creditAmount ? { currency: ra.lines[0].creditAmount.currency } : {}),
    lines: ra.lines.map((l) => {
      const quantity = Math.max(1, Math.round(Number(l.quantity.value)));
      return {
        line: l.lineNumber,
        item: l.item.sku ?? l.item.id ?? l.item.gtin ?? 'unknown',
        quantity,
        unitPrice: l.creditAmount ? unitPriceOf(l.creditAmount.amount.replace(/^-/, ''), quantity) : '0',
        reason: l.reasonCode,
      };
    }),
  };
}
