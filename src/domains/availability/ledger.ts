import type { Tx } from '../../store/index.js';
import { channelParty, customerParty, type InTransitLot, type LotQuantity, type PositionChange } from './position.js';

/**
 * The inventory ledger in the store. Every change to a position is one `av_ledger` row, unique per
 * (event id, item, location): a redelivered event finds its row and changes nothing. Positions hold
 * the running totals; the ledger says how they came to be.
 */

export interface LedgerEntry {
  eventId: string;
  item: string;
  location: string;
  kind: string;
  dOnHand?: number;
  dAllocated?: number;
  dReserved?: number;
  dHeld?: number;
  dInTransit?: number;
  source: string;
  reason: string;
  correlationId: string;
  at: number;
}

interface PositionRow {
  item: string;
  location: string;
  on_hand: number;
  allocated: number;
  reserved: number;
  held: number;
  version: number;
}

export type StoredPosition = Omit<PositionChange, 'inTransit' | 'lots' | 'partyUse'>;

function fromRow(row: PositionRow): StoredPosition {
  return {
    item: row.item,
    location: row.location,
    onHand: Number(row.on_hand),
    allocated: Number(row.allocated),
    reserved: Number(row.reserved),
    held: Number(row.held),
    version: Number(row.version),
  };
}

const POSITION_COLUMNS = 'item, location, on_hand, allocated, reserved, held, version';

export async function alreadyApplied(tx: Tx, eventId: string, item: string, location: string): Promise<boolean> {
  const rows = await tx.all<{ one: number }>('select 1 as one from av_ledger where event_id = ? and item = ? and location = ?', [
    eventId,
    item,
    location,
  ]);
  return rows.length > 0;
}

/** Reads positions; with `lock` on PostgreSQL the rows stay locked until the transaction ends (SQLite's writer lock already covers it). */
export async function readPositions(
  tx: Tx,
  item: string,
  locations: readonly string[],
  lock: boolean,
): Promise<Map<string, StoredPosition>> {
  if (locations.length === 0) return new Map();
  const marks = locations.map(() => '?').join(', ');
  const suffix = lock && tx.dialect === 'postgres' ? ' order by location for update' : '';
  const rows = await tx.all<PositionRow>(
    `select ${POSITION_COLUMNS} from av_positions where item = ? and location in (${marks})${suffix}`,
    [item, ...locations],
  );
  return new Map(rows.map((r) => [r.location, fromRow(r)]));
}

export async function readPosition(tx: Tx, item: string, location: string, lock: boolean): Promise<StoredPosition | undefined> {
  return (await readPositions(tx, item, [location], lock)).get(location);
}

export async function positionsAt(tx: Tx, location: string): Promise<StoredPosition[]> {
  const rows = await tx.all<PositionRow>(`select ${POSITION_COLUMNS} from av_positions where location = ?`, [location]);
  return rows.map(fromRow);
}

/**
 * Adds the entry's deltas to the position (creating it at zero) and writes the ledger row. A bucket
 * driven below zero is kept as it is and raised as an exception: clamping would hide the missing stock.
 */
export async function writeEntry(tx: Tx, entry: LedgerEntry): Promise<PositionChange> {
  const d = {
    onHand: entry.dOnHand ?? 0,
    allocated: entry.dAllocated ?? 0,
    reserved: entry.dReserved ?? 0,
    held: entry.dHeld ?? 0,
  };
  const rows = await tx.all<PositionRow>(
    `insert into av_positions (item, location, on_hand, allocated, reserved, held, version, updated_at)
     values (?, ?, ?, ?, ?, ?, 1, ?)
     on conflict (item, location) do update set
       on_hand = av_positions.on_hand + excluded.on_hand,
       allocated = av_positions.allocated + excluded.allocated,
       reserved = av_positions.reserved + excluded.reserved,
       held = av_positions.held + excluded.held,
       version = av_positions.version + 1,
       updated_at = excluded.updated_at
     returning ${POSITION_COLUMNS}`,
    [entry.item, entry.location, d.onHand, d.allocated, d.reserved, d.held, entry.at],
  );
  const row = rows[0];
  if (!row) throw new Error('position upsert returned no row');
  const after = fromRow(row);
  await tx.run(
    `insert into av_ledger (event_id, item, location, kind, d_on_hand, d_allocated, d_reserved, d_held, d_in_transit, on_hand_after,
       source, reason, correlation_id, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      entry.eventId,
      entry.item,
      entry.location,
      entry.kind,
      d.onHand,
      d.allocated,
      d.reserved,
      d.held,
      entry.dInTransit ?? 0,
      after.onHand,
      entry.source,
      entry.reason,
      entry.correlationId,
      entry.at,
    ],
  );
  const buckets: Array<[keyof typeof d, number]> = [
    ['onHand', after.onHand],
    ['allocated', after.allocated],
    ['reserved', after.reserved],
    ['held', after.held],
  ];
  for (const [bucket, value] of buckets) {
    if (d[bucket] < 0 && value < 0) {
      await raiseException(tx, {
        category: `availability.negative-${bucket === 'onHand' ? 'on-hand' : bucket}`,
        item: entry.item,
        location: entry.location,
        eventId: entry.eventId,
        at: entry.at,
        detail: {
          bucket,
          before: value - d[bucket],
          delta: d[bucket],
          after: value,
          source: entry.source,
          reason: entry.reason,
          kind: entry.kind,
        },
      });
    }
  }
  return after;
}

export interface ExceptionInput {
  category: string;
  item: string;
  location: string;
  eventId: string;
  at: number;
  detail: Record<string, unknown>;
}

/** Exceptions raised in a transaction, collected for whoever opened the collection (see `collectExceptions`). */
const raisedIn = new WeakMap<Tx, ExceptionInput[]>();

/** Starts collecting the exceptions raised in `tx`; returns the list they are added to. */
export function collectExceptions(tx: Tx): ExceptionInput[] {
  const list: ExceptionInput[] = [];
  raisedIn.set(tx, list);
  return list;
}

export async function raiseException(tx: Tx, e: ExceptionInput): Promise<void> {
  raisedIn.get(tx)?.push(e);
  await tx.run('insert into availability_exceptions (category, item, location, event_id, detail, at) values (?, ?, ?, ?, ?, ?)', [
    e.category,
    e.item,
    e.location,
    e.eventId,
    JSON.stringify(e.detail),
    e.at,
  ]);
}

export async function recordDrift(
  tx: Tx,
  d: { eventId: string; source: string; item: string; location: string; expected: number; reported: number; at: number },
): Promise<void> {
  await tx.run('insert into av_drift (event_id, source, item, location, expected, reported, at) values (?, ?, ?, ?, ?, ?, ?)', [
    d.eventId,
    d.source,
    d.item,
    d.location,
    d.expected,
    d.reported,
    d.at,
  ]);
}

export async function loadInTransit(tx: Tx, item: string, location: string): Promise<InTransitLot[]> {
  const rows = await tx.all<{ ref: string; quantity: number; eta: number | null }>(
    'select ref, quantity, eta from av_in_transit where item = ? and location = ? order by ref',
    [item, location],
  );
  return rows.map((r) => ({ ref: r.ref, quantity: Number(r.quantity), eta: r.eta === null ? null : Number(r.eta) }));
}

/** Sets (or, at zero, removes) what travels under `ref`; returns the quantity it replaced. */
export async function setInTransit(
  tx: Tx,
  item: string,
  location: string,
  ref: string,
  quantity: number,
  eta: number | null,
): Promise<number> {
  const old = await tx.all<{ quantity: number }>('select quantity from av_in_transit where item = ? and location = ? and ref = ?', [
    item,
    location,
    ref,
  ]);
  const before = old[0] ? Number(old[0].quantity) : 0;
  if (quantity <= 0) {
    await tx.run('delete from av_in_transit where item = ? and location = ? and ref = ?', [item, location, ref]);
  } else {
    await tx.run(
      `insert into av_in_transit (item, location, ref, quantity, eta) values (?, ?, ?, ?, ?)
       on conflict (item, location, ref) do update set quantity = excluded.quantity, eta = excluded.eta`,
      [item, location, ref, quantity, eta],
    );
  }
  return before;
}

export async function inTransitQuantity(
  tx: Tx,
  item: string,
  location: string,
  ref: string,
): Promise<{ quantity: number; eta: number | null }> {
  const rows = await tx.all<{ quantity: number; eta: number | null }>(
    'select quantity, eta from av_in_transit where item = ? and location = ? and ref = ?',
    [item, location, ref],
  );
  const row = rows[0];
  return row ? { quantity: Number(row.quantity), eta: row.eta === null ? null : Number(row.eta) } : { quantity: 0, eta: null };
}

export async function loadLots(tx: Tx, item: string, location: string): Promise<LotQuantity[]> {
  const rows = await tx.all<{ lot: string; expiry: string | null; quantity: number }>(
    'select lot, expiry, quantity from av_lots where item = ? and location = ? order by lot',
    [item, location],
  );
  return rows.map((r) => ({ lot: r.lot, expiry: r.expiry, quantity: Number(r.quantity) }));
}

export async function replaceLots(tx: Tx, item: string, location: string, lots: readonly LotQuantity[]): Promise<void> {
  await tx.run('delete from av_lots where item = ? and location = ?', [item, location]);
  for (const lot of lots) {
    await tx.run('insert into av_lots (item, location, lot, expiry, quantity) values (?, ?, ?, ?, ?)', [
      item,
      location,
      lot.lot,
      lot.expiry,
      lot.quantity,
    ]);
  }
}

/** The parties whose use of a position ATP needs (see `Policies.fenceParties`). */
export type PartyScope = (item: string, location: string) => readonly string[];

/**
 * Open reservations at a position for the given parties (`channel:<id>`, `customer:<id>`). Only the
 * parties asked for are summed: a busy item can hold thousands of open reservations, and ATP reads
 * the use of ring-fence beneficiaries alone. No parties, no query.
 */
export async function loadPartyUse(tx: Tx, item: string, location: string, parties: readonly string[]): Promise<Record<string, number>> {
  const use: Record<string, number> = {};
  if (parties.length === 0) return use;
  const channels: string[] = [];
  const customers: string[] = [];
  for (const party of parties) {
    if (party.startsWith('channel:')) channels.push(party.slice('channel:'.length));
    else if (party.startsWith('customer:')) customers.push(party.slice('customer:'.length));
  }
  const marks = (values: readonly string[]) => values.map(() => '?').join(', ');
  const byParty = [
    ...(channels.length > 0 ? [`channel in (${marks(channels)})`] : []),
    ...(customers.length > 0 ? [`customer in (${marks(customers)})`] : []),
  ];
  if (byParty.length === 0) return use;
  const rows = await tx.all<{ channel: string; customer: string | null; total: number | string }>(
    `select channel, customer, sum(quantity) as total from av_reservations
     where item = ? and location = ? and status in ('reserved', 'committed') and (${byParty.join(' or ')})
     group by channel, customer`,
    [item, location, ...channels, ...customers],
  );
  for (const r of rows) addPartyUse(use, parties, r.channel, r.customer, Number(r.total));
  return use;
}

/** Counts an open-reservation total of a (channel, customer) pair towards those of its parties that are wanted. */
export function addPartyUse(
  use: Record<string, number>,
  wanted: readonly string[],
  channel: string,
  customer: string | null,
  total: number,
): void {
  const byChannel = channelParty(channel);
  if (wanted.includes(byChannel)) use[byChannel] = (use[byChannel] ?? 0) + total;
  if (customer === null) return;
  const byCustomer = customerParty(customer);
  if (wanted.includes(byCustomer)) use[byCustomer] = (use[byCustomer] ?? 0) + total;
}
