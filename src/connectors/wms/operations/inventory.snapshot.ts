import { z } from 'zod';
import type { InventoryPosition } from '../../../canonical/index.js';
import { collect, defineOperation, paginate } from '../../sdk/index.js';
import type { WmsCredentials } from '../credentials.js';
import { WmsErrors } from '../errors.js';
import { positionFromWms } from '../mappers/inventory.js';
import type { WmsSettings } from '../settings.js';
import { call, type WmsContext, wmsPath } from '../transport.js';
import { wmsInventorySchema } from '../wire.js';

export const inventorySnapshotInput = z.object({
  pageSize: z.number().int().min(1).max(1000).default(500),
});

export interface SnapshotResult {
  snapshotId: string;
  asOf: string;
  total: number;
  positions: InventoryPosition[];
}

const pageSchema = z.object({
  snapshot_id: z.string(),
  as_of: z.string(),
  total: z.number().int(),
  data: z.array(wmsInventorySchema),
  next_cursor: z.string().nullable(),
});

async function walk(ctx: WmsContext, pageSize: number): Promise<SnapshotResult> {
  let head: z.infer<typeof pageSchema> | undefined;
  const rows = await collect(
    paginate(async (cursor) => {
      const page = await call(
        ctx,
        { method: 'GET', path: wmsPath('/inventory/snapshot'), query: { limit: pageSize, cursor }, operation: 'inventory.snapshot' },
        pageSchema,
      );
      head ??= page;
      return { items: page.data, next: page.next_cursor ?? undefined };
    }),
  );
  const asOf = head?.as_of ?? new Date(ctx.clock.now()).toISOString();
  return {
    snapshotId: head?.snapshot_id ?? '',
    asOf,
    total: head?.total ?? rows.length,
    positions: rows.map((row) => positionFromWms(row, asOf, ctx.instance)),
  };
}

/**
 * Reads a point-in-time picture of every position (GET /v1/inventory/snapshot, all pages of one frozen
 * snapshot). A snapshot that expires mid-walk (410) is started over once.
 */
export const inventorySnapshot = defineOperation<WmsSettings, WmsCredentials, z.infer<typeof inventorySnapshotInput>, SnapshotResult>({
  name: 'inventory.snapshot',
  description: 'Reads a consistent snapshot of all stock positions as canonical InventoryPositions.',
  input: inventorySnapshotInput,
  async run(ctx: WmsContext, input) {
    try {
      return await walk(ctx, input.pageSize);
    } catch (err) {
      if (!WmsErrors.snapshotExpired.is(err)) throw err;
      ctx.logger.warn({ err }, 'inventory snapshot expired while reading; starting over');
      return walk(ctx, input.pageSize);
    }
  },
});
