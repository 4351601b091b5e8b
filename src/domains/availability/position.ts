/** Goods on their way to a location under one ASN (or PO). `eta` is epoch ms, null when unknown. */
export interface InTransitLot {
  ref: string;
  quantity: number;
  eta: number | null;
}

export interface LotQuantity {
  lot: string;
  /** ISO date, null when the lot does not expire. */
  expiry: string | null;
  quantity: number;
}

/**
 * One item at one location as the ledger knows it. `version` grows with every change, so a copy can
 * tell a newer state from an older one whatever order the copies arrive in.
 */
export interface PositionState {
  item: string;
  location: string;
  onHand: number;
  allocated: number;
  reserved: number;
  held: number;
  version: number;
  inTransit: InTransitLot[];
  lots: LotQuantity[];
  /** Open reservations (reserved or committed) by party key `channel:<id>` / `customer:<id>`; nets ring-fences. */
  partyUse: Record<string, number>;
}

/**
 * A position's state after a committed change. The lists are present only when the change touched
 * them; the read model keeps its own copy otherwise.
 */
export interface PositionChange {
  item: string;
  location: string;
  onHand: number;
  allocated: number;
  reserved: number;
  held: number;
  version: number;
  inTransit?: InTransitLot[];
  lots?: LotQuantity[];
  partyUse?: Record<string, number>;
}

export function emptyPosition(item: string, location: string): PositionState {
  return { item, location, onHand: 0, allocated: 0, reserved: 0, held: 0, version: 0, inTransit: [], lots: [], partyUse: {} };
}

export function channelParty(channel: string): string {
  return `channel:${channel}`;
}

export function customerParty(customer: string): string {
  return `customer:${customer}`;
}
