import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Envelope, makeEvent } from '../../canonical/index.js';
import { ManualClock } from '../../kernel/index.js';
import type { Store } from '../../store/index.js';
import { Availability } from './availability.js';
import { adjusted, asn, movement, openTestStore, receipt, type StoreKind, shipment, snapshot, testConfig } from './testing/fixtures.js';

describe.each<StoreKind>(['sqlite', 'postgres'])('inventory ledger on %s', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  let av: Availability;
  const clock = new ManualClock(Date.parse('2026-01-05T12:00:00Z'));

  beforeAll(async () => {
    ({ store, close } = await openTestStore(kind));
    av = await Availability.open({ store, policies: testConfig, clock });
  });
  afterAll(async () => close());

  const apply = (e: Envelope) => store.transaction((tx) => av.applyInventoryEvent(e, tx));
  const count = async (table: string, where = '1 = 1', params: string[] = []) =>
    store.transaction(async (tx) =>
      Number((await tx.all<{ n: number | string }>(`select count(*) as n from ${table} where ${where}`, params))[0]?.n),
    );

  it('moves on hand with receipts, picks and adjustments, and a redelivered event changes nothing', async () => {
    await apply(movement('receipt', 'SKU-A', 'DAL', 50));
    const pick = movement('pick', 'SKU-A', 'DAL', 8);
    await apply(pick);
    await apply(pick);
    await apply(adjusted('SKU-A', 'DAL', -2));
    expect(av.position('SKU-A', 'DAL')).toMatchObject({ onHand: 40 });
    const stored = await store.transaction((tx) =>
      tx.all<{ on_hand: number }>('select on_hand from av_positions where item = ? and location = ?', ['SKU-A', 'DAL']),
    );
    expect(Number(stored[0]?.on_hand)).toBe(40);
    expect(await count('av_ledger', 'item = ?', ['SKU-A'])).toBe(3);
  });

  it('keeps source, reason and correlation on each ledger entry', async () => {
    const e = movement('hold', 'SKU-B', 'DAL', 3, { reason: 'QA-sample' });
    await apply(movement('receipt', 'SKU-B', 'DAL', 10));
    await apply(e);
    const rows = await store.transaction((tx) =>
      tx.all<{ source: string; reason: string; correlation_id: string; d_held: number }>(
        'select source, reason, correlation_id, d_held from av_ledger where event_id = ?',
        [e.id],
      ),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'wms/test', reason: 'QA-sample', correlation_id: e.correlationid });
    expect(Number(rows[0]?.d_held)).toBe(3);
    expect(av.position('SKU-B', 'DAL')).toMatchObject({ onHand: 10, held: 3 });
  });

  it('records an event that drives on hand negative and raises an exception instead of clamping', async () => {
    await apply(movement('receipt', 'SKU-NEG', 'RNO', 2));
    const pick = movement('pick', 'SKU-NEG', 'RNO', 5);
    await apply(pick);
    expect(av.position('SKU-NEG', 'RNO')?.onHand).toBe(-3);
    const rows = await store.transaction((tx) =>
      tx.all<{ category: string; detail: string }>('select category, detail from availability_exceptions where event_id = ?', [pick.id]),
    );
    expect(rows.map((r) => r.category)).toEqual(['availability.negative-on-hand']);
    expect(JSON.parse(rows[0]?.detail ?? '{}')).toMatchObject({ before: 2, delta: -5, after: -3 });
    expect(av.get({ items: ['SKU-NEG'], channel: 'b2b' }).items[0]?.available).toBe(0);
  });

  it('reconciles a full snapshot and records the drift it found', async () => {
    await apply(movement('receipt', 'SKU-S1', 'RNO', 20));
    await apply(movement('receipt', 'SKU-S2', 'RNO', 7));
    const snap = snapshot('tpl/reno', [{ item: 'SKU-S1', location: 'RNO', onHand: 17, held: 1 }], { complete: true, location: 'RNO' });
    await apply(snap);
    expect(av.position('SKU-S1', 'RNO')).toMatchObject({ onHand: 17, held: 1 });
    // Not listed in a complete snapshot of RNO: zero.
    expect(av.position('SKU-S2', 'RNO')?.onHand).toBe(0);
    const drift = await store.transaction((tx) =>
      tx.all<{ item: string; expected: number; reported: number; source: string }>(
        'select item, expected, reported, source from av_drift where event_id = ? order by item',
        [snap.id],
      ),
    );
    expect(drift.map((d) => [d.item, Number(d.expected), Number(d.reported), d.source])).toContainEqual(['SKU-S1', 20, 17, 'tpl/reno']);
    expect(drift.map((d) => [d.item, Number(d.expected), Number(d.reported)])).toContainEqual(['SKU-S2', 7, 0]);
    // Redelivered: no second drift, no change.
    await apply(snap);
    expect(await count('av_drift', 'event_id = ?', [snap.id])).toBe(drift.length);
  });

  it('counts an ASN in transit to its destination and draws it down on receipt', async () => {
    await apply(asn('ASN-1', 'DAL', [{ item: 'SKU-T', qty: 30 }], '2026-01-07T15:00:00Z'));
    expect(av.position('SKU-T', 'DAL')?.inTransit).toEqual([{ ref: 'ASN-1', quantity: 30, eta: Date.parse('2026-01-07T15:00:00Z') }]);
    await apply(receipt('R-1', 'DAL', 'ASN-1', [{ item: 'SKU-T', qty: 12 }]));
    expect(av.position('SKU-T', 'DAL')).toMatchObject({ onHand: 12, inTransit: [{ ref: 'ASN-1', quantity: 18 }] });
    await apply(asn('ASN-1', 'DAL', [{ item: 'SKU-T', qty: 30 }], '2026-01-07T15:00:00Z', { purpose: 'cancel' }));
    expect(av.position('SKU-T', 'DAL')?.inTransit).toEqual([]);
  });

  it('puts quarantined receipts on quality hold', async () => {
    await apply(receipt('R-2', 'RNO', undefined, [{ item: 'SKU-Q', qty: 5, quarantine: true }]));
    expect(av.position('SKU-Q', 'RNO')).toMatchObject({ onHand: 5, held: 5 });
  });

  it('records cycle-count drift and sets on hand to the count', async () => {
    await apply(movement('receipt', 'SKU-CC', 'DAL', 9));
    const count1 = movement('cycle-count', 'SKU-CC', 'DAL', 6);
    await apply(count1);
    expect(av.position('SKU-CC', 'DAL')?.onHand).toBe(6);
    expect(await count('av_drift', 'event_id = ?', [count1.id])).toBe(1);
  });

  it('refuses an event it cannot apply with a permanent error naming the field', async () => {
    const bad = movement('receipt', 'SKU-X', 'DAL', 1);
    const fractional = makeEvent({ ...bad, data: { ...(bad.data as object), quantity: { value: '1.5', uom: 'EA' } } });
    await expect(apply(fractional)).rejects.toMatchObject({ code: 'CD_ERR_AVAILABILITY_BAD_EVENT', errorClass: 'permanent' });
  });

  it('takes a dispatched shipment out of stock once, unless its order was already picked', async () => {
    await apply(movement('receipt', 'SKU-SH', 'DAL', 10));
    await av.reserve({ order: 'SO-SH1', channel: 'b2b', lines: [{ line: '1', item: 'SKU-SH', qty: 4 }] });
    await av.commit({ order: 'SO-SH1' });
    expect(av.position('SKU-SH', 'DAL')).toMatchObject({ onHand: 10, allocated: 4 });
    const shipped = shipment('SH-1', 'DAL', 'SO-SH1', [{ item: 'SKU-SH', qty: 4 }]);
    await apply(shipped);
    await apply(shipped);
    expect(av.position('SKU-SH', 'DAL')).toMatchObject({ onHand: 6, allocated: 0, reserved: 0 });
    const status = await store.transaction((tx) =>
      tx.all<{ status: string }>('select status from av_reservations where order_id = ?', ['SO-SH1']),
    );
    expect(status.map((r) => r.status)).toEqual(['shipped']);
    // Picked by the WMS first: the shipment of the same order changes nothing more.
    await av.reserve({ order: 'SO-SH2', channel: 'b2b', lines: [{ line: '1', item: 'SKU-SH', qty: 2 }] });
    await av.commit({ order: 'SO-SH2' });
    await apply(movement('pick', 'SKU-SH', 'DAL', 2, { order: { number: 'SO-SH2' } }));
    expect(av.position('SKU-SH', 'DAL')).toMatchObject({ onHand: 4, allocated: 0 });
    await apply(shipment('SH-2', 'DAL', 'SO-SH2', [{ item: 'SKU-SH', qty: 2 }]));
    expect(av.position('SKU-SH', 'DAL')).toMatchObject({ onHand: 4, allocated: 0 });
  });

  it('catches up with changes another process wrote to the store', async () => {
    const other = await Availability.open({ store, policies: testConfig, clock });
    await apply(movement('receipt', 'SKU-CU', 'RNO', 9));
    await apply(asn('ASN-CU', 'RNO', [{ item: 'SKU-CU', qty: 3 }], '2026-01-07T15:00:00Z'));
    await av.reserve({ order: 'SO-CU', channel: 'web', lines: [{ line: '1', item: 'SKU-CU', qty: 2, location: 'RNO' }] });
    expect(other.position('SKU-CU', 'RNO')).toBeUndefined();
    await other.catchUp();
    expect(other.position('SKU-CU', 'RNO')).toEqual(av.position('SKU-CU', 'RNO'));
    expect(other.get({ items: ['SKU-CU'], channel: 'web' })).toEqual(av.get({ items: ['SKU-CU'], channel: 'web' }));
  });

  it('rebuilds the same read model from the store', async () => {
    const again = await Availability.open({ store, policies: testConfig, clock });
    for (const [item, location] of [
      ['SKU-A', 'DAL'],
      ['SKU-S1', 'RNO'],
      ['SKU-T', 'DAL'],
      ['SKU-Q', 'RNO'],
    ] as const) {
      expect(again.position(item, location)).toEqual(av.position(item, location));
    }
  });
});
