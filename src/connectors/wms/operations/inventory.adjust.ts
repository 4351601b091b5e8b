import { z } from 'zod';
import { InventoryAdjustedData } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { WmsCredentials } from '../credentials.js';
import { REASON_TO_WMS } from '../mappers/inventory.js';
import type { WmsSettings } from '../settings.js';
import { call, type WmsContext, wmsPath } from '../transport.js';
import { wmsAdjustmentSchema } from '../wire.js';

export const inventoryAdjustInput = z.object({
  adjustment: InventoryAdjustedData,
  /** The adjustment's idempotency key (e.g. the event id that asked for it): a resend never adjusts twice. */
  key: z.string().min(1).max(200),
});

export interface AdjustResult {
  adjustmentId: string;
  onHandAfter: number;
}

/**
 * Adjusts on-hand stock at the warehouse by a signed delta (POST /v1/inventory/adjustments). An
 * adjustment below zero raises CD_ERR_WMS_INSUFFICIENT_INVENTORY (class business).
 */
export const inventoryAdjust = defineOperation<WmsSettings, WmsCredentials, z.infer<typeof inventoryAdjustInput>, AdjustResult>({
  name: 'inventory.adjust',
  description: 'Adjusts on-hand stock of one item at one warehouse by a signed quantity.',
  input: inventoryAdjustInput,
  async run(ctx: WmsContext, input) {
    const { adjustment } = input;
    const sku = adjustment.item.sku;
    const location = adjustment.location.code;
    if (!sku) throw ConnectorErrors.mapping('adjustment.item.sku: the warehouse needs a SKU', { path: 'adjustment.item.sku' });
    if (!location)
      throw ConnectorErrors.mapping('adjustment.location.code: the warehouse needs its code', { path: 'adjustment.location.code' });
    const quantity = Number(adjustment.delta.value);
    if (!Number.isInteger(quantity) || quantity === 0) {
      throw ConnectorErrors.mapping('adjustment.delta.value: a whole, non-zero number of units', { path: 'adjustment.delta.value' });
    }
    const created = await call(
      ctx,
      {
        method: 'POST',
        path: wmsPath('/inventory/adjustments'),
        headers: { 'idempotency-key': `crossdock:${ctx.instance}:adjust:${input.key}` },
        idempotent: true,
        body: {
          sku,
          location,
          quantity,
          reason_code: REASON_TO_WMS[adjustment.reasonCode],
          note: adjustment.note ?? null,
          reference: input.key.slice(0, 100),
        },
        operation: 'inventory.adjust',
      },
      wmsAdjustmentSchema,
    );
    return { adjustmentId: created.id, onHandAfter: created.on_hand_after };
  },
});
