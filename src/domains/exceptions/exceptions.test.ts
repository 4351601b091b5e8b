import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/index.js';
import { SqliteStore } from '../../store/index.js';
import { ExceptionQueue } from './exceptions.js';

let store: SqliteStore;
let dir: string;
let clock: ManualClock;
let queue: ExceptionQueue;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crossdock-exc-'));
  store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  clock = new ManualClock(Date.parse('2026-11-22T08:00:00Z'));
  queue = new ExceptionQueue(store, {
    clock,
    ownerRules: [
      { categoryPrefix: 'edi.', partner: 'ACME', owner: 'edi-team-acme' },
      { warehouse: 'WH-EAST', owner: 'east-ops' },
      { categoryPrefix: 'order.', owner: 'customer-service' },
    ],
  });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exception queue', () => {
  it('opens one exception per cause; raising it again counts an occurrence', async () => {
    const first = await queue.raise({
      category: 'order.price-mismatch',
      title: 'SO-1 line 1: channel price 12.50 EUR, ERP price 13.10 EUR',
      detail: { channel: '12.50', erp: '13.10' },
      source: 'flow/order-to-cash',
      subject: 'order/SO-1',
    });
    const again = await queue.raise({
      category: 'order.price-mismatch',
      title: 'same',
      source: 'flow/order-to-cash',
      subject: 'order/SO-1',
    });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const view = await queue.get(first.id);
    expect(view).toMatchObject({ status: 'open', occurrences: 2, owner: 'customer-service', subject: 'order/SO-1' });
  });

  it('assigns owners by the first matching rule', async () => {
    const edi = await queue.raise({
      category: 'edi.ack-overdue',
      title: '997 overdue',
      source: 'edi',
      subject: 'edi/ISA-9',
      partner: 'ACME',
    });
    const wh = await queue.raise({ category: 'shipment.late', title: 'late', source: 'flow', subject: 'order/SO-2', warehouse: 'WH-EAST' });
    const none = await queue.raise({ category: 'supplier.discrepancy', title: 'short', source: 'flow', subject: 'po/PO-1' });
    expect((await queue.get(edi.id)).owner).toBe('edi-team-acme');
    expect((await queue.get(wh.id)).owner).toBe('east-ops');
    expect((await queue.get(none.id)).owner).toBeNull();
    await queue.assign(none.id, 'purchasing', 'ops@example.com');
    expect((await queue.get(none.id)).owner).toBe('purchasing');
  });

  it('tracks age against its SLA and lists what is overdue', async () => {
    const e = await queue.raise({
      category: 'order.credit-hold',
      title: 'C9 over limit',
      source: 'flow',
      subject: 'order/SO-3',
      dueInMs: 3_600_000,
    });
    clock.advance(30 * 60_000);
    expect(await queue.get(e.id)).toMatchObject({ ageMs: 30 * 60_000, overdue: false });
    clock.advance(31 * 60_000);
    expect((await queue.get(e.id)).overdue).toBe(true);
    expect((await queue.list({ overdueOnly: true })).map((x) => x.id)).toEqual([e.id]);
    expect(await queue.countsByCategory()).toEqual([{ category: 'order.credit-hold', open: 1, overdue: 1 }]);
  });

  it('closes by itself when the cause clears; the same cause later opens a new one', async () => {
    const e = await queue.raise({
      category: 'inventory.negative',
      title: 'SKU-1 at WH-1 would go to -3',
      source: 'availability',
      subject: 'item/SKU-1@WH-1',
      dedupeKey: 'neg:SKU-1:WH-1',
    });
    expect(await queue.clear('neg:SKU-1:WH-1', 'cycle count corrected the position')).toBe(true);
    expect(await queue.clear('neg:SKU-1:WH-1', 'again')).toBe(false);
    expect(await queue.get(e.id)).toMatchObject({
      status: 'resolved',
      resolvedBy: 'system',
      resolution: 'cycle count corrected the position',
    });
    const next = await queue.raise({
      category: 'inventory.negative',
      title: 'again',
      source: 'availability',
      subject: 'item/SKU-1@WH-1',
      dedupeKey: 'neg:SKU-1:WH-1',
    });
    expect(next.created).toBe(true);
    expect(next.id).not.toBe(e.id);
  });

  it('resolves with a reason and keeps the history; refuses to resolve twice or without a reason', async () => {
    const e = await queue.raise({
      category: 'order.unmapped',
      title: 'customer C77 unknown',
      source: 'connector/shopify',
      subject: 'order/SO-4',
      actions: [{ kind: 'retry-flow', flow: 'order-to-cash', key: 'SO-4' }],
    });
    expect((await queue.get(e.id)).actions).toEqual([{ kind: 'retry-flow', flow: 'order-to-cash', key: 'SO-4' }]);
    await expect(queue.resolve(e.id, '  ', 'ops')).rejects.toMatchObject({ code: 'CD_ERR_EXCEPTION_INVALID' });
    await queue.note(e.id, 'ops@example.com', 'retry-flow', 'retried after adding C77 to the ERP');
    await queue.resolve(e.id, 'customer created in ERP', 'ops@example.com');
    await expect(queue.resolve(e.id, 'again', 'ops')).rejects.toMatchObject({ code: 'CD_ERR_EXCEPTION_CLOSED' });
    expect((await queue.historyOf(e.id)).map((h) => h.action)).toEqual(['opened', 'retry-flow', 'resolved']);
  });

  it('refuses a malformed exception, naming the field', async () => {
    await expect(queue.raise({ category: 'Not Dotted', title: 'x', source: 's', subject: 'x' })).rejects.toMatchObject({
      code: 'CD_ERR_EXCEPTION_INVALID',
      details: { path: 'category' },
    });
  });
});

describe('exception queue: default due times and counts', () => {
  it('gives a category its default time to act unless the raiser sets one, and counts open ones by dimension', async () => {
    queue.setDueRules([{ categoryPrefix: 'sla.', withinMs: 3_600_000 }]);
    const a = await queue.raise({ category: 'sla.order.accepted', title: 'late', source: 'sla', subject: 'order/SO-1', channel: 'web' });
    const b = await queue.raise({
      category: 'sla.order.shipped',
      title: 'late',
      source: 'sla',
      subject: 'order/SO-2',
      dueInMs: 60_000,
      channel: 'web',
    });
    const c = await queue.raise({ category: 'order.unmapped', title: 'x', source: 'flow', subject: 'order/SO-3' });
    const now = clock.now();
    expect((await queue.get(a.id)).dueAt).toBe(now + 3_600_000);
    expect((await queue.get(b.id)).dueAt).toBe(now + 60_000);
    expect((await queue.get(c.id)).dueAt).toBeNull();
    clock.advance(120_000);
    expect(await queue.openCountsBy('channel')).toEqual([
      { key: 'web', open: 2, overdue: 1 },
      { key: '(none)', open: 1, overdue: 0 },
    ]);
    expect((await queue.list({ categoryPrefix: 'sla.' })).map((e) => e.id)).toEqual([a.id, b.id]);
  });
});
