import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEventType, EventCatalog, makeEvent } from '../../canonical/index.js';
import { SqlEventLog } from '../../eventlog/index.js';
import { silentLogger } from '../../kernel/index.js';
import { SqliteStore } from '../../store/index.js';
import { COUNTED_TYPES, type DemoSnapshot, DemoStats, startSummaryPrinter, summaryBlock, summaryLine } from './demo-summary.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const anyData = z.object({}).loose();
const catalog = () =>
  new EventCatalog(
    [...COUNTED_TYPES, 'crossdock.order.accepted.v1'].map((type) => defineEventType({ type, schema: anyData, description: type })),
  );

function milestone(name: string, order: string) {
  return makeEvent({ type: `crossdock.${name}.v1`, source: 'crossdock://test', subject: `order/${order}`, partitionkey: order, data: {} });
}

async function openLog() {
  const dir = mkdtempSync(join(tmpdir(), 'cd-demo-summary-'));
  const store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  const eventlog = new SqlEventLog({ store, catalog: catalog(), logger: silentLogger(), pollIntervalMs: 10 });
  cleanups.push(async () => {
    await eventlog.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, eventlog };
}

function sink() {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

const snapshot = (received: number, invoiced: number): DemoSnapshot => ({
  counts: {
    ordersReceived: received,
    ordersBooked: received,
    ordersShipped: invoiced,
    ordersInvoiced: invoiced,
    ordersHeld: 1,
    ordersBackordered: 0,
    purchaseOrders: 2,
    purchaseOrdersCompleted: 1,
    returns: 3,
    returnsCompleted: 2,
  },
  openExceptions: 4,
  eventsPerSecond: 12.5,
  orderRate: 1,
  uptimeMs: 65_000,
});

describe('demo summary', () => {
  it('counts the flows milestones published after it subscribed, and the event rate', async () => {
    const { store, eventlog } = await openLog();
    await eventlog.publish('orders', [milestone('order.received', 'OLD')]);
    let now = 1_000;
    const stats = new DemoStats({ eventlog, store, topics: ['orders'], openExceptions: async () => 3, orderRate: () => 2, now: () => now });
    stats.subscribe();
    await eventlog.start();
    await stats.snapshot();
    await eventlog.publish('orders', [
      milestone('order.received', 'A'),
      milestone('order.received', 'B'),
      milestone('order.accepted', 'A'),
      milestone('order.booked', 'A'),
      milestone('order.shipped', 'A'),
      milestone('order.invoiced', 'A'),
      milestone('order.held', 'B'),
    ]);
    await eventlog.drain({ timeoutMs: 5_000 });
    now = 3_000;
    const s = await stats.snapshot();
    // The event published before the demo started is not counted (the group starts at the end).
    expect(s.counts).toMatchObject({ ordersReceived: 2, ordersBooked: 1, ordersShipped: 1, ordersInvoiced: 1, ordersHeld: 1 });
    expect(s.eventsPerSecond).toBeCloseTo(7 / 2);
    expect(s.openExceptions).toBe(3);
    expect(s.orderRate).toBe(2);
    expect(s.uptimeMs).toBe(2_000);
  });

  it('counts purchase orders and returns from the workflow instances started since the demo began', async () => {
    const { store, eventlog } = await openLog();
    const stats = new DemoStats({ eventlog, store, topics: [], now: () => 5_000 });
    const instance = (flow: string, key: string, status: string, created: number) => ({
      flow,
      key,
      version: 1,
      status,
      input: '{}',
      correlationid: key,
      created_at: created,
      updated_at: created,
    });
    await store.db
      .insertInto('wf_instances')
      .values([
        instance('procure-to-pay', 'PO1', 'completed', 6_000),
        instance('procure-to-pay', 'PO2', 'suspended', 6_000),
        instance('procure-to-pay', 'PO0', 'completed', 1_000),
        instance('return-to-credit', 'R1', 'completed', 7_000),
        instance('order-to-cash', 'SO1', 'completed', 7_000),
      ])
      .execute();
    const s = await stats.snapshot();
    expect(s.counts).toMatchObject({ purchaseOrders: 2, purchaseOrdersCompleted: 1, returns: 1, returnsCompleted: 1 });
  });

  it('renders a plain line and a terminal block', () => {
    expect(summaryLine(snapshot(10, 7))).toBe(
      'demo 01:05 orders received 10 booked 10 shipped 7 invoiced 7 held 1 | POs 2 completed 1 | returns 3 completed 2 | exceptions 4 | 12.5 events/s',
    );
    const block = summaryBlock(snapshot(10, 7));
    expect(block).toHaveLength(5);
    expect(block[1]).toMatch(/received\s+10\s+booked\s+10\s+shipped\s+7\s+invoiced\s+7/);
  });

  it('redraws in place on a terminal and prints plain lines elsewhere, with a last line on stop', async () => {
    let received = 0;
    const source = { snapshot: async () => snapshot(++received, 0) };
    const tty = sink();
    const stopTty = startSummaryPrinter({ stats: source, out: tty.out, tty: true, refreshMs: 20 });
    await new Promise((r) => setTimeout(r, 120));
    await stopTty();
    // From the second drawing on, the cursor moves up over the previous block (5 lines).
    expect(tty.text()).toContain('\x1b[5A');
    expect(tty.text()).toContain('crossdock demo');

    const plain = sink();
    const stopPlain = startSummaryPrinter({ stats: source, out: plain.out, tty: false, lineEveryMs: 20 });
    await new Promise((r) => setTimeout(r, 120));
    await stopPlain();
    const lines = plain.text().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.startsWith('demo 01:05 orders received '))).toBe(true);
    expect(plain.text()).not.toContain('\x1b[');
  });
});
