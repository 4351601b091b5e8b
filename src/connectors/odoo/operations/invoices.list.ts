import { z } from 'zod';
import type { Invoice } from '../../../canonical/index.js';
import { defineOperation } from '../../sdk/index.js';
import type { OdooCredentials } from '../credentials.js';
import { invoiceFromMove } from '../mappers/invoice.js';
import { searchReadAll } from '../search-read.js';
import type { OdooSettings } from '../settings.js';
import { many2one, text } from '../transport.js';

export const invoicesListInput = z.object({
  kind: z.enum(['sales', 'purchase', 'both']).default('both'),
  /** Only posted moves (drafts are not invoices yet). */
  postedOnly: z.boolean().default(true),
  maxPages: z.number().int().positive().optional(),
});

const moveSchema = z.object({
  id: z.number(),
  name: text,
  move_type: z.string(),
  partner_id: many2one,
  ref: text,
  invoice_origin: text,
  invoice_date: text,
  state: z.string(),
  amount_total: z.number(),
  payment_state: text,
});

const TYPES = { sales: ['out_invoice'], purchase: ['in_invoice'], both: ['out_invoice', 'in_invoice'] };

export const invoicesList = defineOperation<OdooSettings, OdooCredentials, z.infer<typeof invoicesListInput>, Invoice[]>({
  name: 'invoices.list',
  description: 'Lists customer invoices and vendor bills (account.move) as canonical Invoices.',
  input: invoicesListInput,
  async run(ctx, input) {
    const domain: unknown[] = [['move_type', 'in', TYPES[input.kind]]];
    if (input.postedOnly) domain.push(['state', '=', 'posted']);
    const rows = await searchReadAll(
      ctx,
      {
        model: 'account.move',
        domain,
        fields: ['name', 'move_type', 'partner_id', 'ref', 'invoice_origin', 'invoice_date', 'state', 'amount_total', 'payment_state'],
        operation: 'invoices.list',
        maxPages: input.maxPages,
      },
      moveSchema,
    );
    return rows.map((m) => invoiceFromMove(m, ctx.settings.currency));
  },
});
