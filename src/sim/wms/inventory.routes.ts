import type { Clock } from '../../kernel/index.js';
import { newId } from '../../kernel/index.js';
import type { SimRequest, SimResponse } from '../kit/http-sim.js';
import { readBody } from './body.js';
import { decodeCursor, encodeCursor, parseLimit } from './cursor.js';
import { wmsError } from './errors.js';
import { adjustmentSchema, type InventoryRecord } from './model.js';
import { conflictResponse } from './orders.routes.js';
import { WmsConflict, type WmsStore } from './store.js';

const keyOf = (r: InventoryRecord) => `${r.sku}\u0000${r.location}`;

/** GET /v1/inventory?sku=&location=&cursor=&limit= — live positions, keyset-paged by (sku, location). */
export function listInventoryRoute(req: SimRequest, store: WmsStore): SimResponse {
  const limit = parseLimit(req.query.get('limit'), 50, 200);
  if (limit === undefined) return wmsError(400, 'invalid_parameter', 'limit must be an integer from 1 to 200.', [{ field: 'limit' }]);
  const filter: { sku?: string; location?: string } = {};
  const sku = req.query.get('sku');
  const location = req.query.get('location');
  if (sku) filter.sku = sku;
  if (location) filter.location = location;
  const all = store.inventoryList(filter);
  let start = 0;
  const cursor = req.query.get('cursor');
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (typeof decoded?.after !== 'string') return wmsError(400, 'invalid_cursor', 'The cursor is not valid.', [{ field: 'cursor' }]);
    const after = decoded.after;
    start = all.findIndex((r) => keyOf(r) > after);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + limit);
  const last = page[page.length - 1];
  const more = start + limit < all.length;
  return { status: 200, body: { data: page, next_cursor: more && last ? encodeCursor({ after: keyOf(last) }) : null } };
}

export function createAdjustmentRoute(req: SimRequest, store: WmsStore): SimResponse {
  const input = readBody(req, adjustmentSchema);
  if (!input.ok) return input.response;
  try {
    return { status: 201, body: store.adjust(input.value) };
  } catch (err) {
    if (err instanceof WmsConflict) return conflictResponse(err);
    throw err;
  }
}

interface Snapshot {
  id: string;
  asOf: string;
  expiresAt: number;
  rows: InventoryRecord[];
}

/**
 * GET /v1/inventory/snapshot — a point-in-time export. The first call freezes every position; the
 * cursor names the snapshot, so later pages read the frozen copy even while stock moves. A snapshot
 * lives `ttlMs`; a cursor of an expired one answers 410 `snapshot_expired` (start again).
 */
export class SnapshotExporter {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly store: WmsStore,
    private readonly clock: Clock,
    private readonly ttlMs = 60 * 60 * 1000,
  ) {}

  handle(req: SimRequest): SimResponse {
    const limit = parseLimit(req.query.get('limit'), 500, 1000);
    if (limit === undefined) return wmsError(400, 'invalid_parameter', 'limit must be an integer from 1 to 1000.', [{ field: 'limit' }]);
    const cursor = req.query.get('cursor');
    let snapshot: Snapshot | undefined;
    let offset = 0;
    if (cursor === null) {
      snapshot = {
        id: `snap_${newId(this.clock.now())}`,
        asOf: new Date(this.clock.now()).toISOString(),
        expiresAt: this.clock.now() + this.ttlMs,
        rows: this.store.inventoryList({}).map((r) => ({ ...r, lots: r.lots.map((l) => ({ ...l })) })),
      };
      this.snapshots.set(snapshot.id, snapshot);
    } else {
      const decoded = decodeCursor(cursor);
      if (typeof decoded?.snapshot !== 'string' || typeof decoded.offset !== 'number') {
        return wmsError(400, 'invalid_cursor', 'The cursor is not valid.', [{ field: 'cursor' }]);
      }
      snapshot = this.snapshots.get(decoded.snapshot);
      if (!snapshot || snapshot.expiresAt < this.clock.now()) {
        if (snapshot) this.snapshots.delete(snapshot.id);
        return wmsError(410, 'snapshot_expired', 'This snapshot has expired; request a new one without a cursor.');
      }
      offset = decoded.offset;
    }
    const page = snapshot.rows.slice(offset, offset + limit);
    const next = offset + limit < snapshot.rows.length ? encodeCursor({ snapshot: snapshot.id, offset: offset + limit }) : null;
    return {
      status: 200,
      body: { snapshot_id: snapshot.id, as_of: snapshot.asOf, total: snapshot.rows.length, data: page, next_cursor: next },
    };
  }
}
