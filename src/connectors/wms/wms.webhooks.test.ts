import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanonicalEventCatalog, type Envelope, type Receipt, type Shipment } from '../../canonical/index.js';
import type { WebhookOutcome } from '../sdk/index.js';
import type { ReleaseResult } from './operations/orders.release.js';
import { salesOrder, startWmsHarness, until, type WmsHarness } from './testing/harness.js';
import { wmsWebhookSpec } from './webhooks.js';

let h: WmsHarness;
let hook: { url: string; outcomes: WebhookOutcome[] };
const catalog = createCanonicalEventCatalog();

beforeAll(async () => {
  h = await startWmsHarness();
  hook = await h.webhooks();
  h.sim.seedInventory('SKU-A', 40);
  h.sim.seedInventory('SKU-B', 40);
});
afterAll(async () => {
  await h.close();
});

const ofType = (type: string) => h.published.filter((e) => e.type === type);

describe('WMS webhooks over loopback', () => {
  it('release → pick → pack → ship: order.released and shipment.dispatched (tracking, lots) are published and valid', async () => {
    const released = (await h.instance().invoke('orders.release', {
      order: salesOrder('SO-HOOK-1', [
        ['SKU-A', 2],
        ['SKU-B', 1],
      ]),
    })) as ReleaseResult;
    await until(() => ofType('crossdock.order.released.v1').some((e) => JSON.stringify(e.data).includes('SO-HOOK-1')));
    h.sim.advance(released.externalId, { to: 'shipped' });
    await until(() => ofType('crossdock.shipment.dispatched.v1').length === 1);
    const event = ofType('crossdock.shipment.dispatched.v1')[0] as Envelope<Shipment>;
    expect(() => catalog.validate(event)).not.toThrow();
    const order = h.sim.state.orders.get(released.externalId);
    expect(event.data).toMatchObject({
      status: 'dispatched',
      orders: [{ id: 'SO-HOOK-1', refs: { wms: released.externalId } }],
      trackingNumbers: [order?.shipments[0]?.tracking_number],
      carrier: { name: 'DHL', service: 'EXPRESS' },
    });
    expect(event.data.lines.map((l) => [l.item.sku, l.quantity.value, l.lots[0]?.lot])).toEqual([
      ['SKU-A', '2', 'LOT-SKU-A-A'],
      ['SKU-B', '1', 'LOT-SKU-B-A'],
    ]);
    expect(event.partitionkey).toBe('order/SO-HOOK-1');
    // picked and packed were received and recorded, with no canonical event of their own.
    const rows = await h.store.db.selectFrom('webhook_receipts').select(['topic', 'status']).execute();
    expect(rows.filter((r) => r.topic === 'order.picked' || r.topic === 'order.packed').map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
    ]);
  });

  it('a warehouse exception becomes shipment.exception naming the code and the item', async () => {
    const released = (await h.instance().invoke('orders.release', { order: salesOrder('SO-HOOK-2', [['SKU-A', 3]]) })) as ReleaseResult;
    h.sim.advance(released.externalId, { exception: { code: 'damaged', sku: 'SKU-A', quantity: 1, note: 'forklift' } });
    await until(() => ofType('crossdock.shipment.exception.v1').length === 1);
    const event = ofType('crossdock.shipment.exception.v1')[0] as Envelope<Shipment>;
    expect(() => catalog.validate(event)).not.toThrow();
    expect(event.data).toMatchObject({
      status: 'exception',
      exception: { code: 'damaged', description: 'forklift' },
      lines: [{ item: { sku: 'SKU-A' }, quantity: { value: '1' } }],
    });
  });

  it('receipt.completed becomes receipt.posted with shortages and damage per line', async () => {
    const created = (await h.instance().invoke('asns.create', {
      asn: {
        id: 'asn-hook-1',
        asnNumber: 'ASN-HOOK-1',
        shippedAt: '2026-01-04T08:00:00Z',
        orders: [{ order: { number: 'PO-1' }, items: [{ item: { sku: 'RCV-X' }, quantity: { value: '10', uom: 'EA' } }] }],
      },
    })) as { externalId: string };
    h.sim.receive(created.externalId, [{ sku: 'RCV-X', received: 8, damaged: 1 }]);
    await until(() => ofType('crossdock.receipt.posted.v1').length === 1);
    const event = ofType('crossdock.receipt.posted.v1')[0] as Envelope<Receipt>;
    expect(() => catalog.validate(event)).not.toThrow();
    expect(event.data).toMatchObject({
      receiptNumber: 'ASN-HOOK-1',
      location: { code: 'WH1' },
      lines: [
        {
          item: { sku: 'RCV-X' },
          expectedQuantity: { value: '10' },
          receivedQuantity: { value: '8' },
          acceptedQuantity: { value: '7' },
          rejectedQuantity: { value: '1' },
          discrepancies: [
            { type: 'short', quantity: { value: '2' } },
            { type: 'damaged', quantity: { value: '1' } },
          ],
        },
      ],
    });
  });

  it('a duplicate delivery (same X-WMS-Event-Id) is answered as a duplicate and publishes nothing more', async () => {
    h.sim.faults.duplicateWebhooks = true;
    try {
      const before = h.published.length;
      const seen = hook.outcomes.length;
      h.sim.seedInventory('DUP-A', 5);
      await h.instance().invoke('inventory.adjust', {
        adjustment: {
          item: { sku: 'DUP-A' },
          location: { code: 'WH1' },
          delta: { value: '1', uom: 'EA' },
          reasonCode: 'found',
          occurredAt: '2026-01-05T10:00:00Z',
        },
        key: 'dup-1',
      });
      await until(() => hook.outcomes.length >= seen + 2);
      expect(hook.outcomes.slice(seen).map((o) => o.outcome)).toEqual(['accepted', 'duplicate']);
      expect(h.published.length).toBe(before + 1);
      expect(h.published.at(-1)).toMatchObject({
        type: 'crossdock.inventory.adjusted.v1',
        data: { delta: { value: '1' }, reasonCode: 'found' },
      });
    } finally {
      h.sim.faults.duplicateWebhooks = false;
    }
  });

  it('a bad signature and a stale timestamp are both answered 401 and recorded as rejected', async () => {
    const body = JSON.stringify({ id: 'evt_forged', type: 'order.cancelled', created_at: '2026-01-05T10:00:00Z', data: {} });
    const send = (signature: string) =>
      fetch(hook.url, {
        method: 'POST',
        body,
        headers: { 'x-wms-event-id': 'evt_forged', 'x-wms-event-type': 'order.cancelled', 'x-wms-signature': signature },
      });
    const now = Math.floor(Date.now() / 1000);
    const sign = (t: number) => createHmac('sha256', h.sim.webhookSecret).update(`${t}.${body}`).digest('hex');
    expect((await send(`t=${now},v1=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await send(`t=${now - 3600},v1=${sign(now - 3600)}`)).status).toBe(401);
    const rejected = await h.store.db.selectFrom('webhook_receipts').selectAll().where('status', '=', 'rejected').execute();
    expect(rejected.filter((r) => r.delivery_id.endsWith(':evt_forged'))).toHaveLength(2);
  });

  it('the signature check honours its tolerance and the exact raw bytes', () => {
    const spec = wmsWebhookSpec(300);
    const body = Buffer.from('{"id":"evt_1"}');
    const t = 1_767_225_600;
    const sig = createHmac('sha256', 's3cret').update(`${t}.${body.toString()}`).digest('hex');
    const headers = { 'x-wms-signature': `t=${t},v1=${sig}` };
    expect(spec.verify(body, headers, 's3cret', t * 1000 + 299_000)).toBe(true);
    expect(spec.verify(body, headers, 's3cret', t * 1000 + 301_000)).toBe(false);
    expect(spec.verify(Buffer.from('{"id":"evt_1"} '), headers, 's3cret', t * 1000)).toBe(false);
    expect(spec.verify(body, headers, 'other', t * 1000)).toBe(false);
  });
});
