import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purchaseOrderExample, salesOrderExample } from '../../canonical/examples/orders.js';
import { type Envelope, makeEvent } from '../../canonical/index.js';
import { ExceptionQueue } from '../../domains/exceptions/index.js';
import { ManualClock } from '../../kernel/index.js';
import { SqliteStore, type Store } from '../../store/index.js';
import { freshPostgresStore } from '../../store/testing/postgres.js';
import { SlaRule } from '../config.js';
import { TimelineService } from '../timelines/timelines.js';
import { SlaClocks } from './sla-clocks.js';

const T0 = Date.parse('2026-11-22T08:00:00Z');
const rules = [
  { id: 'accept-2m', kind: 'order', from: 'received', to: 'accepted', within: '2m' },
  // A partner's own promise overrides the default for the same target.
  { id: 'accept-acme', kind: 'order', from: 'received', to: 'accepted', within: '10m', partner: 'C10045' },
  { id: 'ship-48h', kind: 'order', from: 'accepted', to: 'shipped', within: '48h' },
  { id: 'asn-before-arrival', kind: 'purchaseorder', from: 'sent', to: 'asn', deadlineField: 'requestedDeliveryDate' },
].map((r) => SlaRule.parse(r));

let dir: string;
let store: Store;
let dropStore: (() => Promise<void>) | undefined;
let clock: ManualClock;
let queue: ExceptionQueue;
let timelines: TimelineService;
let sla: SlaClocks;

function open(): void {
  queue = new ExceptionQueue(store, { clock, ownerRules: [{ categoryPrefix: 'sla.order', owner: 'customer-service' }] });
  timelines = new TimelineService(store);
  sla = new SlaClocks(store, queue, { rules, clock });
}

describe.each(['sqlite', 'postgres'] as const)('on %s', (driver) => {
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cd-sla-'));
    if (driver === 'postgres') {
      const pg = await freshPostgresStore();
      store = pg.store;
      dropStore = pg.drop;
    } else store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
    await store.migrate();
    clock = new ManualClock(T0);
    open();
  });
  afterEach(async () => {
    if (dropStore) await dropStore();
    else await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function happen(type: string, data: unknown, at: number): Promise<void> {
    const e: Envelope = makeEvent({ type, source: 'crossdock://flow/o2c', data, partitionkey: 'k' }, at);
    await store.transaction(async (tx) => sla.onMilestones(await timelines.record(e, tx), tx));
  }

  describe('SLA clocks', () => {
    it('breaches once when the milestone is late, raising an owned exception that closes when it arrives', async () => {
      const order = { ...salesOrderExample, customer: { id: 'cust-x', number: 'C999' } };
      await happen('crossdock.order.received.v1', order, T0);
      clock.set(T0 + 119_000);
      expect(await sla.tick()).toBe(0);
      clock.set(T0 + 121_000);
      expect(await sla.tick()).toBe(1);
      expect(await sla.tick()).toBe(0);
      const [e] = await queue.list({ status: 'open' });
      expect(e).toMatchObject({ category: 'sla.order.accepted', owner: 'customer-service', subject: `order/${order.id}`, partner: 'C999' });
      await happen('crossdock.order.accepted.v1', order, T0 + 180_000);
      expect(await queue.get(e?.id ?? '')).toMatchObject({ status: 'resolved', resolvedBy: 'system' });
      expect((await sla.list({ id: order.id })).find((c) => c.rule === 'accept-2m')).toMatchObject({
        status: 'breached',
        metAt: new Date(T0 + 180_000).toISOString(),
      });
      // accepted started the shipping clock.
      expect((await sla.list({ status: 'running' })).map((c) => c.rule)).toEqual(['ship-48h']);
    });

    it('uses the most specific rule: the partner has 10 minutes, not 2', async () => {
      await happen('crossdock.order.received.v1', salesOrderExample, T0);
      const clocks = await sla.list({ status: 'running' });
      expect(clocks.map((c) => [c.rule, c.dueAt])).toEqual([['accept-acme', new Date(T0 + 600_000).toISOString()]]);
    });

    it('a met milestone stops the clock without any exception', async () => {
      await happen('crossdock.order.received.v1', salesOrderExample, T0);
      await happen('crossdock.order.accepted.v1', salesOrderExample, T0 + 30_000);
      clock.set(T0 + 3_600_000);
      expect(await sla.tick()).toBe(0);
      expect(await queue.list()).toEqual([]);
    });

    it('survives a restart: clocks live in the store; a deadline can come from the document (ASN before arrival)', async () => {
      await happen('crossdock.purchaseorder.sent.v1', { ...purchaseOrderExample, requestedDeliveryDate: '2026-11-25' }, T0);
      open(); // a new process on the same store
      clock.set(Date.parse('2026-11-24T23:59:59Z'));
      expect(await sla.tick()).toBe(0);
      clock.set(Date.parse('2026-11-25T00:00:01Z'));
      expect(await sla.tick()).toBe(1);
      expect((await queue.list())[0]).toMatchObject({ category: 'sla.purchaseorder.asn', subject: 'purchaseorder/po-5521' });
    });
  });
});
