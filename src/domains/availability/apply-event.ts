import type { z } from 'zod';
import {
  AdvanceShipNoticeV1,
  AsnReceivedEvent,
  type Envelope,
  InventoryAdjustedData,
  InventoryAdjustedEvent,
  type InventoryPosition,
  InventoryPositionChangedEvent,
  InventoryPositionV1,
  InventorySnapshotData,
  InventorySnapshotEvent,
  ReceiptPostedEvent,
  ReceiptV1,
  ShipmentDispatchedEvent,
  ShipmentV1,
} from '../../canonical/index.js';
import { type Clock, systemClock } from '../../kernel/index.js';
import type { Tx } from '../../store/index.js';
import { AvailabilityErrors } from './errors.js';
import { InventoryMovementData, InventoryMovementEvent } from './events.js';
import { itemKey, locationKey, toUnits } from './keys.js';
import {
  alreadyApplied,
  inTransitQuantity,
  type LedgerEntry,
  loadInTransit,
  loadLots,
  loadPartyUse,
  type PartyScope,
  positionsAt,
  raiseException,
  readPosition,
  recordDrift,
  replaceLots,
  setInTransit,
  writeEntry,
} from './ledger.js';
import type { LotQuantity, PositionChange } from './position.js';

/** Event types that move stock; everything else is acknowledged and ignored. */
export const INVENTORY_EVENT_TYPES: readonly string[] = [
  InventoryAdjustedEvent.type,
  InventorySnapshotEvent.type,
  InventoryPositionChangedEvent.type,
  AsnReceivedEvent.type,
  ReceiptPostedEvent.type,
  ShipmentDispatchedEvent.type,
  InventoryMovementEvent.type,
];

function parse<S extends z.ZodType>(schema: S, envelope: Envelope): z.infer<S> {
  const result = schema.safeParse(envelope.data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = ['data', ...(issue?.path ?? []).map(String)].join('.');
    throw AvailabilityErrors.badEvent(`${envelope.type} ${path}: ${issue?.message ?? 'invalid'}`, { path, eventId: envelope.id });
  }
  return result.data;
}

/** Collects the latest state of each touched position within one event. */
class Changes {
  private readonly byKey = new Map<string, PositionChange>();
  add(change: PositionChange): PositionChange {
    const key = `${change.item}\u0000${change.location}`;
    const prev = this.byKey.get(key);
    this.byKey.set(key, prev ? { ...prev, ...change } : change);
    return change;
  }
  list(): PositionChange[] {
    return [...this.byKey.values()];
  }
}

interface Ctx {
  tx: Tx;
  envelope: Envelope;
  at: number;
  changes: Changes;
  parties: PartyScope;
}

interface OrderReservation {
  line: string;
  status: string;
  quantity: number | string;
}

/**
 * An order's reservations of one item at one location. Looked up by order alone (the primary key's
 * first column) and filtered here: given the item and location as well, SQLite's planner prefers
 * the (item, location, status) index, which walks every open reservation of a busy item.
 */
async function orderReservations(tx: Tx, order: string, item: string, location: string): Promise<OrderReservation[]> {
  const rows = await tx.all<OrderReservation & { item: string; location: string }>(
    'select line, item, location, status, quantity from av_reservations where order_id = ?',
    [order],
  );
  return rows.filter((r) => r.item === item && r.location === location);
}

/** Moves the given reservations of an order at a location from one status to the next, by primary key. */
async function markReservations(
  tx: Tx,
  order: string,
  location: string,
  rows: readonly OrderReservation[],
  from: string,
  to: string,
  at: number,
): Promise<void> {
  for (const r of rows) {
    if (r.status !== from) continue;
    await tx.run('update av_reservations set status = ?, updated_at = ? where order_id = ? and line = ? and location = ? and status = ?', [
      to,
      at,
      order,
      r.line,
      location,
      from,
    ]);
  }
}

function base(ctx: Ctx, item: string, location: string, kind: string, source: string, reason: string): LedgerEntry {
  return { eventId: ctx.envelope.id, item, location, kind, source, reason, correlationId: ctx.envelope.correlationid, at: ctx.at };
}

/**
 * Applies one inventory event to the ledger inside `tx` and returns the positions it changed (their
 * state after the change). Idempotent: an event already in the ledger for a position changes nothing
 * there. Use it inside an event-log handler (`ctx.tx`); `Availability.handler` also feeds the read model.
 */
export async function applyInventoryEvent(
  envelope: Envelope,
  tx: Tx,
  parties: PartyScope,
  clock: Clock = systemClock,
): Promise<PositionChange[]> {
  const ctx: Ctx = { tx, envelope, at: clock.now(), changes: new Changes(), parties };
  switch (envelope.type) {
    case InventoryAdjustedEvent.type:
      await applyAdjusted(ctx, parse(InventoryAdjustedData, envelope));
      break;
    case InventoryMovementEvent.type:
      await applyMovement(ctx, parse(InventoryMovementData, envelope));
      break;
    case InventorySnapshotEvent.type: {
      const data = parse(InventorySnapshotData, envelope);
      await applySnapshot(ctx, data.source, data.positions, data.complete, data.location ? locationKey(data.location) : undefined);
      break;
    }
    case InventoryPositionChangedEvent.type: {
      const position = parse(InventoryPositionV1, envelope);
      await applySnapshot(ctx, position.source ?? envelope.source, [position], false, undefined);
      break;
    }
    case AsnReceivedEvent.type:
      await applyAsn(ctx, parse(AdvanceShipNoticeV1, envelope));
      break;
    case ReceiptPostedEvent.type:
      await applyReceipt(ctx, parse(ReceiptV1, envelope));
      break;
    case ShipmentDispatchedEvent.type:
      await applyShipment(ctx, parse(ShipmentV1, envelope));
      break;
    default:
      return [];
  }
  return ctx.changes.list();
}

async function applyAdjusted(ctx: Ctx, data: z.infer<typeof InventoryAdjustedData>): Promise<void> {
  const item = itemKey(data.item);
  const location = locationKey(data.location);
  if (await alreadyApplied(ctx.tx, ctx.envelope.id, item, location)) return;
  const delta = toUnits(data.delta.value, 'data.delta.value');
  const change = await writeEntry(ctx.tx, {
    ...base(ctx, item, location, 'adjustment', ctx.envelope.source, data.reasonCode),
    dOnHand: delta,
  });
  ctx.changes.add(change);
  if (data.lot?.lot !== undefined) await adjustLot(ctx, item, location, data.lot.lot, data.lot.expiryDate ?? null, delta);
}

async function adjustLot(ctx: Ctx, item: string, location: string, lot: string, expiry: string | null, delta: number): Promise<void> {
  const lots = await loadLots(ctx.tx, item, location);
  const existing = lots.find((l) => l.lot === lot);
  const next: LotQuantity[] = existing
    ? lots.map((l) => (l.lot === lot ? { ...l, quantity: l.quantity + delta, expiry: expiry ?? l.expiry } : l))
    : [...lots, { lot, expiry, quantity: delta }];
  const kept = next.filter((l) => l.quantity > 0);
  await replaceLots(ctx.tx, item, location, kept);
  const current = await readPosition(ctx.tx, item, location, false);
  if (current) ctx.changes.add({ ...current, lots: kept });
}

async function applyMovement(ctx: Ctx, m: z.infer<typeof InventoryMovementData>): Promise<void> {
  const item = itemKey(m.item);
  const location = locationKey(m.location);
  const qty = toUnits(m.quantity.value, 'data.quantity.value');
  if (qty < 0 && m.kind !== 'adjustment') {
    throw AvailabilityErrors.badEvent(`a ${m.kind} movement needs a positive quantity, got ${qty}`, { path: 'data.quantity.value' });
  }
  if (await alreadyApplied(ctx.tx, ctx.envelope.id, item, location)) return;
  const entry = base(ctx, item, location, m.kind, m.source, m.reason ?? m.kind);
  switch (m.kind) {
    case 'receipt':
      ctx.changes.add(await writeEntry(ctx.tx, { ...entry, dOnHand: qty }));
      break;
    case 'adjustment':
      ctx.changes.add(await writeEntry(ctx.tx, { ...entry, dOnHand: qty }));
      break;
    case 'pick': {
      // Picking ships allocated stock first; any excess is an unplanned pick straight from on hand.
      const current = await readPosition(ctx.tx, item, location, true);
      const allocated = current && current.allocated > 0 ? current.allocated : 0;
      ctx.changes.add(await writeEntry(ctx.tx, { ...entry, dOnHand: -qty, dAllocated: -Math.min(qty, allocated) }));
      if (m.order?.number !== undefined || m.order?.id !== undefined) {
        const order = m.order.id ?? m.order.number ?? '';
        await markReservations(
          ctx.tx,
          order,
          location,
          await orderReservations(ctx.tx, order, item, location),
          'committed',
          'picked',
          ctx.at,
        );
        const current2 = await readPosition(ctx.tx, item, location, false);
        if (current2) ctx.changes.add({ ...current2, partyUse: await loadPartyUse(ctx.tx, item, location, ctx.parties(item, location)) });
      }
      break;
    }
    case 'cycle-count': {
      const current = await readPosition(ctx.tx, item, location, true);
      const expected = current?.onHand ?? 0;
      if (expected !== qty) {
        await recordDrift(ctx.tx, { eventId: ctx.envelope.id, source: m.source, item, location, expected, reported: qty, at: ctx.at });
      }
      ctx.changes.add(await writeEntry(ctx.tx, { ...entry, dOnHand: qty - expected }));
      break;
    }
    case 'hold':
      ctx.changes.add(await writeEntry(ctx.tx, { ...entry, dHeld: qty }));
      break;
    case 'release-hold':
      ctx.changes.add(await writeEntry(ctx.tx, { ...entry, dHeld: -qty }));
      break;
    case 'allocate':
      ctx.changes.add(await writeEntry(ctx.tx, { ...entry, dAllocated: qty }));
      break;
    case 'deallocate':
      ctx.changes.add(await writeEntry(ctx.tx, { ...entry, dAllocated: -qty }));
      break;
    case 'reserve':
      ctx.changes.add(await writeEntry(ctx.tx, { ...entry, dReserved: qty }));
      break;
    case 'unreserve':
      ctx.changes.add(await writeEntry(ctx.tx, { ...entry, dReserved: -qty }));
      break;
  }
  const signed = m.kind === 'receipt' ? qty : m.kind === 'pick' ? -qty : m.kind === 'adjustment' ? qty : 0;
  if (m.lot?.lot !== undefined && signed !== 0) await adjustLot(ctx, item, location, m.lot.lot, m.lot.expiryDate ?? null, signed);
}

interface Reported {
  onHand: number;
  held: number | undefined;
  lots: LotQuantity[] | undefined;
}

/**
 * Reconciles the ledger with what a system reports: each listed position's on hand becomes the
 * reported figure, and any difference is kept as drift (expected vs reported). A complete snapshot
 * also zeroes positions it does not list at the locations it covers.
 */
async function applySnapshot(
  ctx: Ctx,
  source: string,
  positions: readonly InventoryPosition[],
  complete: boolean,
  scope: string | undefined,
): Promise<void> {
  const reported = new Map<string, Reported & { item: string; location: string }>();
  positions.forEach((p, i) => {
    const item = itemKey(p.item);
    const location = locationKey(p.location);
    const key = `${item}\u0000${location}`;
    const path = `data.positions.${i}`;
    const prev = reported.get(key) ?? { item, location, onHand: 0, held: undefined, lots: undefined };
    prev.onHand += toUnits(p.onHand.value, `${path}.onHand.value`);
    if (p.qualityHold) prev.held = (prev.held ?? 0) + toUnits(p.qualityHold.value, `${path}.qualityHold.value`);
    if (p.lots.length > 0) {
      prev.lots = [
        ...(prev.lots ?? []),
        ...p.lots.map((l, j) => ({
          lot: l.lot,
          expiry: l.expiryDate ?? null,
          quantity: toUnits(l.quantity.value, `${path}.lots.${j}.quantity.value`),
        })),
      ];
    }
    reported.set(key, prev);
  });
  if (complete) {
    const locations = scope !== undefined ? [scope] : [...new Set([...reported.values()].map((r) => r.location))];
    for (const location of locations) {
      for (const pos of await positionsAt(ctx.tx, location)) {
        const key = `${pos.item}\u0000${location}`;
        if (!reported.has(key) && pos.onHand !== 0) reported.set(key, { item: pos.item, location, onHand: 0, held: 0, lots: [] });
      }
    }
  }
  for (const r of reported.values()) {
    if (await alreadyApplied(ctx.tx, ctx.envelope.id, r.item, r.location)) continue;
    const current = await readPosition(ctx.tx, r.item, r.location, true);
    const expected = current?.onHand ?? 0;
    if (expected !== r.onHand) {
      await recordDrift(ctx.tx, {
        eventId: ctx.envelope.id,
        source,
        item: r.item,
        location: r.location,
        expected,
        reported: r.onHand,
        at: ctx.at,
      });
    }
    const dHeld = r.held === undefined ? 0 : r.held - (current?.held ?? 0);
    const change = await writeEntry(ctx.tx, {
      ...base(ctx, r.item, r.location, 'snapshot', source, complete ? 'full snapshot' : 'snapshot'),
      dOnHand: r.onHand - expected,
      dHeld,
    });
    if (r.lots !== undefined) {
      await replaceLots(ctx.tx, r.item, r.location, r.lots);
      ctx.changes.add({ ...change, lots: r.lots });
    } else {
      ctx.changes.add(change);
    }
  }
}

function parseInstant(value: string | undefined): number | null {
  if (value === undefined) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** An ASN puts goods in transit to its ship-to location, under the ASN number, with its ETA. */
async function applyAsn(ctx: Ctx, asn: z.infer<typeof AdvanceShipNoticeV1>): Promise<void> {
  if (!asn.shipTo) {
    await raiseException(ctx.tx, {
      category: 'availability.asn-without-destination',
      item: '*',
      location: '*',
      eventId: ctx.envelope.id,
      at: ctx.at,
      detail: { asnNumber: asn.asnNumber, message: 'the ASN names no ship-to location, so its goods cannot be counted in transit' },
    });
    return;
  }
  const location = locationKey(asn.shipTo);
  const gone = asn.purpose === 'cancel' || asn.status === 'cancelled' || asn.status === 'received';
  const eta = parseInstant(asn.eta) ?? (asn.deliveryDate ? Date.parse(`${asn.deliveryDate}T12:00:00Z`) : null);
  const quantities = new Map<string, number>();
  asn.orders.forEach((order, o) => {
    const items = [...order.items.map((it, i) => ({ it, path: `data.orders.${o}.items.${i}` }))];
    order.packs.forEach((pack, p) => {
      pack.items.forEach((it, i) => {
        items.push({ it, path: `data.orders.${o}.packs.${p}.items.${i}` });
      });
    });
    for (const { it, path } of items) {
      const item = itemKey(it.item);
      quantities.set(item, (quantities.get(item) ?? 0) + toUnits(it.quantity.value, `${path}.quantity.value`));
    }
  });
  // A replacing ASN drops items it no longer lists.
  const listed = await ctx.tx.all<{ item: string }>('select item from av_in_transit where location = ? and ref = ?', [
    location,
    asn.asnNumber,
  ]);
  for (const row of listed) if (!quantities.has(row.item)) quantities.set(row.item, 0);
  for (const [item, quantity] of quantities) {
    if (await alreadyApplied(ctx.tx, ctx.envelope.id, item, location)) continue;
    const target = gone ? 0 : quantity;
    const before = await setInTransit(ctx.tx, item, location, asn.asnNumber, target, eta);
    const change = await writeEntry(ctx.tx, {
      ...base(ctx, item, location, 'in-transit', ctx.envelope.source, `asn ${asn.asnNumber} ${gone ? 'closed' : asn.purpose}`),
      dInTransit: target - before,
    });
    ctx.changes.add({ ...change, inTransit: await loadInTransit(ctx.tx, item, location) });
  }
}

/** A posted receipt adds to on hand (quarantined goods also to quality hold) and draws down its ASN's in-transit. */
async function applyReceipt(ctx: Ctx, receipt: z.infer<typeof ReceiptV1>): Promise<void> {
  if (receipt.status !== 'posted') return;
  const location = locationKey(receipt.location);
  const byItem = new Map<string, { good: number; quarantined: number }>();
  receipt.lines.forEach((line, i) => {
    const path = `data.lines.${i}`;
    const qty = line.acceptedQuantity
      ? toUnits(line.acceptedQuantity.value, `${path}.acceptedQuantity.value`)
      : toUnits(line.receivedQuantity.value, `${path}.receivedQuantity.value`) -
        (line.rejectedQuantity ? toUnits(line.rejectedQuantity.value, `${path}.rejectedQuantity.value`) : 0);
    const item = itemKey(line.item);
    const acc = byItem.get(item) ?? { good: 0, quarantined: 0 };
    if (line.condition === 'quarantine') acc.quarantined += qty;
    else acc.good += qty;
    byItem.set(item, acc);
  });
  const asnRef = receipt.asn?.number ?? receipt.asn?.id;
  for (const [item, { good, quarantined }] of byItem) {
    if (await alreadyApplied(ctx.tx, ctx.envelope.id, item, location)) continue;
    let dInTransit = 0;
    if (asnRef !== undefined) {
      const travelling = await inTransitQuantity(ctx.tx, item, location, asnRef);
      if (travelling.quantity > 0) {
        const left = Math.max(0, travelling.quantity - good - quarantined);
        await setInTransit(ctx.tx, item, location, asnRef, left, travelling.eta);
        dInTransit = left - travelling.quantity;
      }
    }
    const change = await writeEntry(ctx.tx, {
      ...base(ctx, item, location, 'receipt', ctx.envelope.source, `receipt ${receipt.receiptNumber}`),
      dOnHand: good + quarantined,
      dHeld: quarantined,
      dInTransit,
    });
    ctx.changes.add(dInTransit !== 0 ? { ...change, inTransit: await loadInTransit(ctx.tx, item, location) } : change);
  }
}

/**
 * A dispatched shipment takes its lines out of the ship-from location, like a pick: allocated
 * (committed) units first. A line whose order was already picked there (a WMS pick movement came
 * first) changes nothing, so a pick and its shipment never count twice.
 */
async function applyShipment(ctx: Ctx, shipment: z.infer<typeof ShipmentV1>): Promise<void> {
  if (!shipment.shipFrom) {
    await raiseException(ctx.tx, {
      category: 'availability.shipment-without-origin',
      item: '*',
      location: '*',
      eventId: ctx.envelope.id,
      at: ctx.at,
      detail: { shipmentNumber: shipment.shipmentNumber ?? null, message: 'the shipment names no ship-from location' },
    });
    return;
  }
  const location = locationKey(shipment.shipFrom);
  const byKey = new Map<string, { item: string; order: string | undefined; qty: number }>();
  shipment.lines.forEach((line, i) => {
    const item = itemKey(line.item);
    const ref = line.order ?? shipment.orders[0];
    const order = ref?.number ?? ref?.id;
    const key = `${item}\u0000${order ?? ''}`;
    const acc = byKey.get(key) ?? { item, order, qty: 0 };
    acc.qty += toUnits(line.quantity.value, `data.lines.${i}.quantity.value`);
    byKey.set(key, acc);
  });
  for (const { item, order, qty } of byKey.values()) {
    if (qty <= 0 || (await alreadyApplied(ctx.tx, ctx.envelope.id, item, location))) continue;
    let committed = 0;
    let reservations: OrderReservation[] = [];
    if (order !== undefined) {
      reservations = await orderReservations(ctx.tx, order, item, location);
      if (reservations.some((r) => r.status === 'picked')) continue;
      committed = reservations.reduce((sum, r) => (r.status === 'committed' ? sum + Number(r.quantity) : sum), 0);
    }
    const current = await readPosition(ctx.tx, item, location, true);
    // Units allocated to this order go first; without an order, allocations are drawn as a pick draws them.
    const allocated = Math.max(0, Math.min(order !== undefined ? committed : qty, current?.allocated ?? 0, qty));
    const label = shipment.shipmentNumber ?? ctx.envelope.subject ?? ctx.envelope.id;
    ctx.changes.add(
      await writeEntry(ctx.tx, {
        ...base(ctx, item, location, 'shipment', ctx.envelope.source, `shipment ${label}`),
        dOnHand: -qty,
        dAllocated: -allocated,
      }),
    );
    if (order !== undefined && committed > 0) {
      await markReservations(ctx.tx, order, location, reservations, 'committed', 'shipped', ctx.at);
      const after = await readPosition(ctx.tx, item, location, false);
      if (after) ctx.changes.add({ ...after, partyUse: await loadPartyUse(ctx.tx, item, location, ctx.parties(item, location)) });
    }
  }
}
