import { z } from 'zod';
import type { AckLine, PurchaseOrder, SupplierInvoice } from '../documents.js';
import type { PurchasingErp } from '../ports.js';
import { OdooRpc, type OdooTarget, odooAmount } from './odoo-rpc.js';

const poRow = z.object({
  id: z.number(),
  name: z.string(),
  state: z.string(),
  partner_id: z.union([z.tuple([z.number(), z.string()]), z.literal(false)]),
});
const lineRow = z.object({ id: z.number(), product_id: z.union([z.tuple([z.number(), z.string()]), z.literal(false)]) });

/**
 * Purchasing on Odoo (purchase.order, the incoming stock.picking its confirmation creates, and the
 * vendor bill as account.move `in_invoice`). The PO number is kept in `partner_ref`, which is how a
 * retry finds what an earlier attempt created.
 */
export class OdooPurchasing implements PurchasingErp {
  readonly rpc: OdooRpc;

  constructor(target: OdooTarget | OdooRpc) {
    this.rpc = target instanceof OdooRpc ? target : new OdooRpc(target);
  }

  private async findPo(poNumber: string) {
    const rows = await this.rpc.read('purchase.order', [['partner_ref', '=', poNumber]], ['name', 'state', 'partner_id']);
    return rows[0] === undefined ? undefined : poRow.parse(rows[0]);
  }

  private product(item: string): Promise<number> {
    return this.rpc.ensure('product.product', [['default_code', '=', item]], { name: item, default_code: item, type: 'product' });
  }

  async createPurchaseOrder(po: PurchaseOrder): Promise<{ erpId: string }> {
    const existing = await this.findPo(po.poNumber);
    let id = existing?.id;
    if (id === undefined) {
      const vendor = await this.rpc.ensure('res.partner', [['ref', '=', po.supplier]], {
        name: po.supplier,
        ref: po.supplier,
        is_company: true,
        supplier_rank: 1,
      });
      const lines: unknown[] = [];
      for (const l of po.lines) {
        lines.push([
          0,
          0,
          {
            product_id: await this.product(l.item),
            name: `${l.line} ${l.item}`,
            product_qty: Number(l.quantity),
            price_unit: odooAmount(l.unitPrice),
          },
        ]);
      }
      id = await this.rpc.create('purchase.order', { partner_id: vendor, partner_ref: po.poNumber, order_line: lines });
    }
    // Confirming twice is harmless: button_confirm skips orders that are already confirmed.
    await this.rpc.execute('purchase.order', 'button_confirm', [[id]]);
    return { erpId: String(id) };
  }

  async cancelPurchaseOrder(poNumber: string): Promise<void> {
    const po = await this.findPo(poNumber);
    if (!po || po.state === 'cancel') return;
    await this.rpc.write('purchase.order', [po.id], { state: 'cancel' });
    const pickings = await this.rpc.search('stock.picking', [
      ['origin', '=', po.name],
      ['state', '!=', 'done'],
    ]);
    if (pickings.length > 0) await this.rpc.write('stock.picking', pickings, { state: 'cancel' });
  }

  async applyAcknowledgement(poNumber: string, lines: readonly AckLine[]): Promise<void> {
    const po = await this.findPo(poNumber);
    if (!po) return;
    const rows = z.array(lineRow).parse(await this.rpc.read('purchase.order.line', [['order_id', '=', po.id]], ['product_id']));
    for (const l of lines) {
      const product = await this.product(l.item);
      const row = rows.find((r) => r.product_id !== false && r.product_id[0] === product);
      if (!row) continue;
      await this.rpc.write('purchase.order.line', [row.id], { product_qty: Number(l.quantity), price_unit: odooAmount(l.unitPrice) });
    }
  }

  async recordReceipt(poNumber: string, _lines: ReadonlyArray<{ item: string; quantity: number }>): Promise<{ receiptId: string }> {
    const po = await this.findPo(poNumber);
    if (!po) return { receiptId: '' };
    const [picking] = await this.rpc.search('stock.picking', [
      ['origin', '=', po.name],
      ['picking_type_code', '=', 'incoming'],
    ]);
    if (picking === undefined) return { receiptId: '' };
    await this.rpc.write('stock.picking', [picking], { state: 'done', date_done: odooNow() });
    return { receiptId: String(picking) };
  }

  async postVendorBill(poNumber: string, invoice: SupplierInvoice, amount: string): Promise<{ billId: string }> {
    const po = await this.findPo(poNumber);
    const partner = po && po.partner_id !== false ? po.partner_id[0] : false;
    const domain = [
      ['move_type', '=', 'in_invoice'],
      ['ref', '=', invoice.invoiceNumber],
      ['invoice_origin', '=', po?.name ?? poNumber],
    ];
    const id = await this.rpc.ensure('account.move', domain, {
      move_type: 'in_invoice',
      partner_id: partner,
      ref: invoice.invoiceNumber,
      invoice_origin: po?.name ?? poNumber,
      amount_total: odooAmount(amount),
      invoice_date: odooNow().slice(0, 10),
    });
    await this.rpc.write('account.move', [id], { state: 'posted' });
    return { billId: String(id) };
  }
}

function odooNow(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}
