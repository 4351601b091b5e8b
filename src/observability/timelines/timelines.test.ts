import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shipmentExample } from '../../canonical/examples/logistics.js';
import { purchaseOrderExample, salesOrderExample } from '../../canonical/examples/orders.js';
import { type Envelope, makeEvent } from '../../canonical/index.js';
import { SqliteStore, type Store } from '../../store/index.js';
import { freshPostgresStore } from '../../store/testing/postgres.js';
import { extractMilestones, MilestoneRecordedEvent, systemOf } from './milestones.js';
import { TimelineService } from './timelines.js';

const T0 = Date.parse('2026-11-22T08:00:00Z');
function ev(type: string, data: unknown, source: string, offsetMs: number, extra: Partial<Envelope> = {}): Envelope {
  return { ...makeEvent({ type, source, data, partitionkey: 'order/so-1', correlationid: 'corr-1' }, T0 + offsetMs), ...extra };
}

let dir: string;
let store: Store;
let dropStore: (() => Promise<void>) | undefined;
let timelines: TimelineService;
describe.each(['sqlite', 'postgres'] as const)('on %s', (driver) => {
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cd-timeline-'));
    if (driver === 'postgres') {
      const pg = await freshPostgresStore();
      store = pg.store;
      dropStore = pg.drop;
    } else store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
    await store.migrate();
    timelines = new TimelineService(store);
  });
  afterEach(async () => {
    if (dropStore) await dropStore();
    else await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function record(e: Envelope) {
    return store.transaction((tx) => timelines.record(e, tx));
  }

  describe('milestone extraction', () => {
    it('names the system from the source and reads the order keys', () => {
      expect(systemOf('crossdock://connector/shopify/store-eu')).toBe('shopify');
      expect(systemOf('crossdock://flow/order-to-cash')).toBe('flow/order-to-cash');
      const [m] = extractMilestones(
        ev('crossdock.order.received.v1', { ...salesOrderExample, channelOrderId: '#1001' }, 'crossdock://connector/shopify/eu', 0),
      );
      expect(m).toMatchObject({
        entity: { kind: 'order', id: salesOrderExample.id },
        milestone: 'received',
        system: 'shopify',
        channel: 'edi',
        partner: 'C10045',
      });
      expect(m?.keys).toEqual(
        expect.arrayContaining([
          { type: 'order-number', value: 'SO-1001' },
          { type: 'channel-order-id', value: '#1001' },
          { type: 'netsuite', value: 'SO-1001' },
          { type: 'customer-po', value: 'ACME-PO-4471' },
        ]),
      );
    });

    it('ignores events the timeline does not follow', () => {
      expect(extractMilestones(ev('crossdock.item.upserted.v1', { id: 'x' }, 'crossdock://connector/erp/x', 0))).toEqual([]);
    });
  });

  describe('timelines', () => {
    it('orders milestones by time with latency since the previous, and finds the order by any key', async () => {
      const id = salesOrderExample.id;
      await record(
        ev('crossdock.order.received.v1', { ...salesOrderExample, channelOrderId: '#1001' }, 'crossdock://connector/shopify/eu', 0),
      );
      await record(ev('crossdock.order.accepted.v1', salesOrderExample, 'crossdock://flow/order-to-cash', 90_000));
      await record(
        ev(
          'crossdock.order.booked.v1',
          { orderId: id, orderNumber: 'SO-1001', system: 'netsuite', externalId: 'NS-778' },
          'crossdock://flow/order-to-cash',
          150_000,
        ),
      );
      // The shipment names the order only by number: resolved through the key index.
      await record(
        ev('crossdock.shipment.dispatched.v1', { ...shipmentExample, status: 'dispatched' }, 'crossdock://connector/wms/3pl', 3_600_000),
      );
      const t = await timelines.forOrder(id);
      expect(t?.milestones.map((m) => [m.milestone, m.system, m.latencyMs])).toEqual([
        ['received', 'shopify', null],
        ['accepted', 'flow/order-to-cash', 90_000],
        ['booked', 'netsuite', 60_000],
        ['shipped', 'wms', 3_450_000],
      ]);
      expect(t).toMatchObject({ label: 'SO-1001', lastMilestone: 'shipped', channel: 'edi' });
      for (const key of ['#1001', 'SO-1001', 'NS-778', '1Z2345', 'SHP-55120']) {
        expect(
          (await timelines.search(key)).map((h) => h.id),
          key,
        ).toEqual([id]);
      }
      expect((await timelines.forOrder('#1001'))?.id).toBe(id);
      expect(await timelines.search('nothing-like-this')).toEqual([]);
    });

    it('records an event once even when it is delivered again (replay)', async () => {
      const e = ev('crossdock.purchaseorder.sent.v1', purchaseOrderExample, 'crossdock://connector/edi/stabilo', 0);
      expect(await record(e)).toHaveLength(1);
      expect(await record(e)).toHaveLength(0);
      expect((await timelines.forEntity('purchaseorder', 'PO-5521'))?.milestones).toHaveLength(1);
    });

    it('takes milestones reported directly, with their own keys (EDI control numbers)', async () => {
      await record(
        ev(
          MilestoneRecordedEvent.type,
          { kind: 'purchaseorder', id: 'po-5521', milestone: 'matched', system: 'netsuite', keys: { 'edi-control': '000000905' } },
          'crossdock://flow/procure-to-pay',
          0,
        ),
      );
      expect(await timelines.search('000000905')).toMatchObject([{ kind: 'purchaseorder', id: 'po-5521', matchedKey: 'edi-control' }]);
    });
  });
});
