import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AdvanceShipNoticeInput,
  AsnReceivedEvent,
  type Envelope,
  InventoryAdjustedEvent,
  InventorySnapshotEvent,
  makeEvent,
  ReceiptPostedEvent,
  ShipmentDispatchedEvent,
} from '../../../canonical/index.js';
import { PostgresStore, SqliteStore, type Store } from '../../../store/index.js';
import { freshPostgresStore, TEST_POSTGRES_URL } from '../../../store/testing/postgres.js';
import type { InventoryMovement } from '../events.js';
import { InventoryMovementEvent } from '../events.js';
import type { AvailabilityConfigInput } from '../policy.js';

/** Two warehouses in different zones, two channels, a key account with a ring-fence. */
export const testConfig: AvailabilityConfigInput = {
  items: ['SKU-NEW'],
  locations: [
    { code: 'DAL', timeZone: 'America/Chicago', calendar: { cutOffTime: '15:00', holidays: [{ date: '2026-01-19', name: 'MLK Day' }] } },
    { code: 'RNO', timeZone: 'America/Los_Angeles', calendar: { cutOffTime: '14:00' } },
  ],
  channels: {
    web: {
      locations: ['DAL', 'RNO'],
      buffer: { kind: 'absolute', units: 2 },
      excludeExpiringWithinDays: 30,
      inTransit: { horizonDays: 7 },
      publish: { lowStock: 5, minChange: 10, batchMs: 20, batchSize: 3, budget: { perSecond: 1000, burst: 100 } },
    },
    b2b: { locations: ['DAL'] },
  },
  customers: { KEY1: { buffer: { kind: 'absolute', units: 0 } } },
  ringFences: [{ item: 'SKU-FENCE', location: 'DAL', quantity: 10, customer: 'KEY1' }],
  transit: [
    { from: 'DAL', region: 'south', days: 1 },
    { from: 'DAL', region: 'west', days: 3 },
    { from: 'RNO', region: 'west', days: 1 },
    { from: 'RNO', region: 'south', days: 3 },
  ],
  regions: [
    { region: 'south', country: 'US', postalPrefixes: ['75', '76', '77'] },
    { region: 'west', country: 'US', postalPrefixes: ['89', '90', '94'] },
  ],
};

export type StoreKind = 'sqlite' | 'postgres';

export async function openTestStore(kind: StoreKind): Promise<{ store: Store; extra: () => Store; close: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cd-av-'));
    const file = join(dir, 'test.db');
    const store = SqliteStore.open({ file });
    await store.migrate();
    return {
      store,
      // better-sqlite3 waits for a lock synchronously, so a second connection in this process would
      // block the event loop the first one needs to finish: processes sharing a file are stood for by
      // instances sharing the store, whose transactions queue on its one writer connection.
      extra: () => store,
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pg = await freshPostgresStore();
  await pg.store.migrate();
  const others: Store[] = [];
  return {
    store: pg.store,
    // A second pool on the same schema stands for a second process.
    extra: () => {
      const other = new PostgresStore({ url: TEST_POSTGRES_URL, schema: pg.schema, poolSize: 4 });
      others.push(other);
      return other;
    },
    close: async () => {
      for (const o of others) await o.close();
      await pg.drop();
    },
  };
}

let seq = 0;
function nextId(prefix: string): string {
  seq += 1;
  return `${prefix}-${process.pid}-${seq}`;
}

export function movement(
  kind: InventoryMovement['kind'],
  item: string,
  location: string,
  qty: number,
  extra: Partial<Pick<InventoryMovement, 'lot' | 'order' | 'reason'>> & { id?: string } = {},
): Envelope {
  const { id, ...rest } = extra;
  return makeEvent({
    id: id ?? nextId('mv'),
    type: InventoryMovementEvent.type,
    source: 'crossdock://connector/wms/test',
    partitionkey: `item/${item}`,
    data: {
      kind,
      source: 'wms/test',
      item: { sku: item },
      location: { code: location },
      quantity: { value: String(qty), uom: 'EA' },
      occurredAt: '2026-01-05T10:00:00Z',
      ...rest,
    },
  });
}

export function adjusted(item: string, location: string, delta: number, id?: string): Envelope {
  return makeEvent({
    id: id ?? nextId('adj'),
    type: InventoryAdjustedEvent.type,
    source: 'crossdock://connector/netsuite/test',
    partitionkey: `item/${item}`,
    data: {
      item: { sku: item },
      location: { code: location },
      delta: { value: String(delta), uom: 'EA' },
      reasonCode: 'damage',
      occurredAt: '2026-01-05T10:00:00Z',
    },
  });
}

export function snapshot(
  source: string,
  positions: Array<{
    item: string;
    location: string;
    onHand: number;
    held?: number;
    lots?: Array<{ lot: string; expiry: string; qty: number }>;
  }>,
  options: { complete?: boolean; location?: string; id?: string } = {},
): Envelope {
  return makeEvent({
    id: options.id ?? nextId('snap'),
    type: InventorySnapshotEvent.type,
    source: `crossdock://connector/${source}`,
    partitionkey: `snapshot/${source}`,
    data: {
      source,
      asOf: '2026-01-05T06:00:00Z',
      complete: options.complete ?? false,
      ...(options.location ? { location: { code: options.location } } : {}),
      positions: positions.map((p) => ({
        id: `${p.item}.${p.location}`,
        refs: {},
        ext: {},
        item: { sku: p.item },
        location: { code: p.location },
        asOf: '2026-01-05T06:00:00Z',
        onHand: { value: String(p.onHand), uom: 'EA' },
        ...(p.held !== undefined ? { qualityHold: { value: String(p.held), uom: 'EA' } } : {}),
        inTransit: [],
        lots: (p.lots ?? []).map((l) => ({ lot: l.lot, expiryDate: l.expiry, quantity: { value: String(l.qty), uom: 'EA' } })),
      })),
    },
  });
}

export function asn(
  number: string,
  location: string,
  items: Array<{ item: string; qty: number }>,
  eta: string,
  extra: Partial<AdvanceShipNoticeInput> = {},
): Envelope {
  return makeEvent({
    id: nextId('asn'),
    type: AsnReceivedEvent.type,
    source: 'crossdock://edi/supplier-x',
    partitionkey: `asn/${number}`,
    data: {
      id: number,
      refs: {},
      ext: {},
      asnNumber: number,
      purpose: 'original',
      status: 'in-transit',
      shipTo: { code: location },
      shippedAt: '2026-01-04T10:00:00Z',
      eta,
      trackingNumbers: [],
      orders: [
        {
          order: { number: 'PO-1' },
          packs: [],
          items: items.map((i) => ({ item: { sku: i.item }, quantity: { value: String(i.qty), uom: 'EA' }, lots: [] })),
        },
      ],
      ...extra,
    },
  });
}

export function receipt(
  number: string,
  location: string,
  asnNumber: string | undefined,
  lines: Array<{ item: string; qty: number; quarantine?: boolean }>,
): Envelope {
  return makeEvent({
    id: nextId('rcpt'),
    type: ReceiptPostedEvent.type,
    source: 'crossdock://connector/wms/test',
    partitionkey: `receipt/${number}`,
    data: {
      id: number,
      refs: {},
      ext: {},
      receiptNumber: number,
      kind: 'purchase',
      status: 'posted',
      location: { code: location },
      ...(asnNumber ? { asn: { number: asnNumber } } : {}),
      orders: [],
      receivedAt: '2026-01-06T10:00:00Z',
      lines: lines.map((l, i) => ({
        lineNumber: String(i + 1),
        item: { sku: l.item },
        receivedQuantity: { value: String(l.qty), uom: 'EA' },
        lots: [],
        discrepancies: [],
        ...(l.quarantine ? { condition: 'quarantine' } : {}),
      })),
    },
  });
}

export function shipment(
  number: string,
  location: string,
  order: string | undefined,
  lines: Array<{ item: string; qty: number }>,
): Envelope {
  return makeEvent({
    id: nextId('shp'),
    type: ShipmentDispatchedEvent.type,
    source: 'crossdock://connector/wms/test',
    partitionkey: `shipment/${number}`,
    data: {
      id: number,
      refs: {},
      ext: {},
      shipmentNumber: number,
      status: 'dispatched',
      orders: order !== undefined ? [{ number: order }] : [],
      shipFrom: { code: location },
      lines: lines.map((l, i) => ({
        lineNumber: String(i + 1),
        item: { sku: l.item },
        quantity: { value: String(l.qty), uom: 'EA' },
        lots: [],
      })),
    },
  });
}
