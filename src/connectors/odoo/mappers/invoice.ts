import { type Invoice, InvoiceV1 } from '../../../canonical/index.js';
import { decimal, ODOO } from './values.js';

export interface OdooMove {
  id: number;
  name: string | undefined;
  move_type: string;
  partner_id: [number, string] | false;
  ref?: string | undefined;
  invoice_origin?: string | undefined;
  invoice_date?: string | undefined;
  state: string;
  amount_total: number;
  payment_state?: string | undefined;
}

const STATUS: Record<string, Invoice['status']> = { draft: 'draft', posted: 'posted', cancel: 'void' };
const PAYMENT: Record<string, Invoice['status'] | undefined> = { paid: 'paid', in_payment: 'paid', partial: 'partially-paid' };

/**
 * An account.move (out_invoice: we bill a customer; in_invoice: a supplier bills us) as an Invoice. Lines
 * are not read here (`invoice_line_ids` is a second call): the total stands as one summary line, marked in ext.
 */
export function invoiceFromMove(move: OdooMove, currency: string): Invoice {
  const total = { amount: decimal(move.amount_total), currency };
  const partner =
    move.partner_id === false ? { name: 'unknown' } : { refs: { [ODOO]: String(move.partner_id[0]) }, name: move.partner_id[1] };
  const purchase = move.move_type === 'in_invoice';
  return InvoiceV1.parse({
    id: `odoo-move-${move.id}`,
    refs: { [ODOO]: String(move.id) },
    ext: { [ODOO]: { moveType: move.move_type, summaryLine: true, ...(move.payment_state ? { paymentState: move.payment_state } : {}) } },
    invoiceNumber: move.name && move.name !== '/' ? move.name : `draft-${move.id}`,
    kind: purchase ? 'purchase' : 'sales',
    status: (move.payment_state ? PAYMENT[move.payment_state] : undefined) ?? STATUS[move.state] ?? 'posted',
    invoiceDate: move.invoice_date ?? '1970-01-01',
    currency,
    ...(purchase ? { seller: partner, buyer: { name: 'self' } } : { buyer: partner }),
    ...(move.invoice_origin ? { orders: [{ number: move.invoice_origin }] } : {}),
    ...(move.ref && !purchase ? { customerPoNumber: move.ref } : {}),
    lines: [{ lineNumber: '1', description: 'invoice total', quantity: { value: '1', uom: 'EA' }, unitPrice: total, lineTotal: total }],
    totals: { total },
  });
}
