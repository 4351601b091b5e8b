import { z } from 'zod';

/** One Odoo database. */
export const odooSettingsSchema = z.object({
  /** The server's base URL, `https://<company>.odoo.com` (or the simulator's URL); calls go to `/jsonrpc`. */
  url: z.url(),
  /** Calls per second we allow ourselves (Odoo Online throttles heavy integrations; on-premise has no limit). */
  rate: z.object({ perSecond: z.number().positive(), burst: z.number().int().positive() }).default({ perSecond: 10, burst: 10 }),
  /** The company currency: amounts read from Odoo are in it. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('EUR'),
  /**
   * The order field that carries the crossdock id, so a retried create finds the order it already made.
   * Odoo's `origin` ("Source Document") on sale.order and purchase.order; `client_order_ref` / `partner_ref`
   * also work where `origin` is in use for something else.
   */
  saleOrderKeyField: z.enum(['origin', 'client_order_ref']).default('origin'),
  purchaseOrderKeyField: z.enum(['origin', 'partner_ref']).default('origin'),
  /** Records per search_read page. */
  pageSize: z.number().int().min(1).max(5000).default(500),
  changes: z
    .object({
      model: z
        .enum(['sale.order', 'purchase.order', 'stock.picking', 'account.move', 'res.partner', 'product.product'])
        .default('sale.order'),
      /** Where the changes trigger starts when it has never run (`YYYY-MM-DD HH:MM:SS`, UTC, as Odoo writes datetimes). */
      since: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
        .default('1970-01-01 00:00:00'),
    })
    .prefault({}),
  timeoutMs: z.number().int().positive().default(30_000),
});
export type OdooSettings = z.output<typeof odooSettingsSchema>;
