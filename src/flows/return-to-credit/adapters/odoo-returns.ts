import { z } from 'zod';
import { OdooRpc, type OdooTarget, odooAmount } from '../../procure-to-pay/index.js';
import type { ReturnRequest } from '../documents.js';
import type { ReturnsErp } from '../ports.js';

const picking = z.object({ id: z.number(), state: z.string() });

/** The RMA number of a return: derived, so every retry and undo finds the same RMA. */
export const rmaNumberOf = (returnId: string) => `RMA-${returnId}`;

/**
 * Returns on Odoo: the RMA is an incoming stock.picking whose origin is the RMA number; the credit
 * memo is an account.move `out_refund` referencing the return id.
 */
export class OdooReturns implements ReturnsErp {
  readonly rpc: OdooRpc;

  constructor(target: OdooTarget | OdooRpc) {
    this.rpc = target instanceof OdooRpc ? target : new OdooRpc(target);
  }

  private async rma(returnId: string) {
    const rows = await this.rpc.read('stock.picking', [['origin', '=', rmaNumberOf(returnId)]], ['state']);
    return rows[0] === undefined ? undefined : picking.parse(rows[0]);
  }

  private customer(ref: string): Promise<number> {
    return this.rpc.ensure('res.partner', [['ref', '=', ref]], { name: ref, ref, customer_rank: 1 });
  }

  async authorizeReturn(request: ReturnRequest): Promise<{ rmaNumber: string; erpId: string }> {
    const rmaNumber = rmaNumberOf(request.returnId);
    const existing = await this.rma(request.returnId);
    const id =
      existing?.id ??
      (await this.rpc.create('stock.picking', {
        name: `WH/RET/${request.returnId}`,
        partner_id: await this.customer(request.customer),
        origin: rmaNumber,
        picking_type_code: 'incoming',
        state: 'assigned',
      }));
    return { rmaNumber, erpId: String(id) };
  }

  async cancelReturn(returnId: string): Promise<void> {
    const rma = await this.rma(returnId);
    if (!rma || rma.state === 'cancel' || rma.state === 'done') return;
    await this.rpc.write('stock.picking', [rma.id], { state: 'cancel' });
  }

  async closeReturn(returnId: string): Promise<void> {
    const rma = await this.rma(returnId);
    if (!rma || rma.state === 'done') return;
    await this.rpc.write('stock.picking', [rma.id], { state: 'done', date_done: new Date().toISOString().replace('T', ' ').slice(0, 19) });
  }

  async postCreditMemo(request: ReturnRequest, amount: string): Promise<{ creditMemoId: string }> {
    const id = await this.rpc.ensure(
      'account.move',
      [
        ['move_type', '=', 'out_refund'],
        ['ref', '=', request.returnId],
      ],
      {
        move_type: 'out_refund',
        partner_id: await this.customer(request.customer),
        ref: request.returnId,
        invoice_origin: request.order,
        amount_total: odooAmount(amount),
        invoice_date: new Date().toISOString().slice(0, 10),
      },
    );
    await this.rpc.write('account.move', [id], { state: 'posted' });
    return { creditMemoId: String(id) };
  }
}
