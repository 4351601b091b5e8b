import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { salesOrderExample } from '../../canonical/examples/index.js';
import { makeEvent, parseCanonical } from '../../canonical/index.js';
import { ManualClock } from '../../kernel/index.js';
import { SqliteStore, type Store } from '../../store/index.js';
import { freshPostgresStore } from '../../store/testing/postgres.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { DocumentStore } from './document-store.js';
import { applyOrderStatusEvent } from './order-status.js';

let store: Store;
let clock: ManualClock;
let docs: DocumentStore;
const order = (id: string) => ({ ...parseCanonical('salesorder.v1', salesOrderExample), id, status: 'received' as const });

beforeEach(async () => {
  store = SqliteStore.open({ file: ':memory:' });
  await store.migrate();
  clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
  docs = new DocumentStore(store, { clock });
});
afterEach(async () => {
  await store.close();
});

describe('DocumentStore', () => {
  it('keeps partners apart: the same id under another partner is a different (absent) document', async () => {
    await store.transaction((tx) =>
      docs.insert(tx, { partnerId: 'a', kind: 'order', id: 'O1', data: order('O1'), status: 'received', source: 't' }),
    );
    expect(await docs.get('a', 'order', 'O1')).toBeDefined();
    expect(await docs.get('b', 'order', 'O1')).toBeUndefined();
    await expect(docs.require('b', 'order', 'O1')).rejects.toMatchObject({ code: 'CD_ERR_DOCUMENT_NOT_FOUND' });
    expect((await docs.list('b', 'order')).items).toEqual([]);
  });

  it('refuses a stale version (optimistic concurrency) and records status changes in the history', async () => {
    const v1 = await store.transaction((tx) =>
      docs.insert(tx, { partnerId: 'a', kind: 'order', id: 'O1', data: order('O1'), status: 'received', source: 'partner:a' }),
    );
    clock.advance(1000);
    const v2 = await store.transaction((tx) =>
      docs.update(tx, v1, { data: { ...v1.data, status: 'accepted' }, status: 'accepted', source: 'flow' }),
    );
    expect(v2.version).toBe(2);
    await expect(store.transaction((tx) => docs.update(tx, v1, { data: v1.data, status: 'on-hold', source: 'x' }))).rejects.toMatchObject({
      code: 'CD_ERR_PRECONDITION_FAILED',
    });
    expect((await docs.history('a', 'order', 'O1')).map((h) => [h.version, h.status, h.source])).toEqual([
      [1, 'received', 'partner:a'],
      [2, 'accepted', 'flow'],
    ]);
  });

  it('pages by (updatedAt, id) with cursors and filters by status and updatedSince', async () => {
    for (const id of ['O3', 'O1', 'O2']) {
      await store.transaction((tx) =>
        docs.insert(tx, { partnerId: 'a', kind: 'order', id, data: order(id), status: 'received', source: 't' }),
      );
    }
    clock.advance(5000);
    const o1 = await docs.require('a', 'order', 'O1');
    await store.transaction((tx) => docs.update(tx, o1, { data: o1.data, status: 'shipped', source: 't' }));
    const first = await docs.list('a', 'order', { limit: 2 });
    expect(first.items.map((d) => d.id)).toEqual(['O2', 'O3']);
    const second = await docs.list('a', 'order', { limit: 2, cursor: first.nextCursor ?? '' });
    expect(second.items.map((d) => d.id)).toEqual(['O1']);
    expect(second.nextCursor).toBeUndefined();
    expect((await docs.list('a', 'order', { status: 'shipped' })).items.map((d) => d.id)).toEqual(['O1']);
    expect((await docs.list('a', 'order', { updatedSince: clock.now() })).items.map((d) => d.id)).toEqual(['O1']);
  });

  it('refuses a number the partner already used for that kind, but not another partner’s', async () => {
    const put = (partnerId: string, id: string) =>
      store.transaction((tx) => docs.insert(tx, { partnerId, kind: 'order', id, number: 'WEB-1', data: order(id), source: 't' }));
    await put('a', 'O1');
    await expect(put('a', 'O2')).rejects.toMatchObject({ code: 'CD_ERR_DOCUMENT_CONFLICT' });
    await expect(put('b', 'O3')).resolves.toMatchObject({ id: 'O3' });
  });
});

describe('cursors', () => {
  it('round-trip, and anything else is refused', () => {
    expect(decodeCursor(encodeCursor({ updatedAt: 1234, id: '01ABC' }))).toEqual({ updatedAt: 1234, id: '01ABC' });
    expect(() => decodeCursor('not a cursor')).toThrow(expect.objectContaining({ code: 'CD_ERR_BAD_CURSOR' }));
    expect(() => decodeCursor(Buffer.from('12.x y').toString('base64url'))).toThrow(expect.objectContaining({ code: 'CD_ERR_BAD_CURSOR' }));
  });
});

describe('order lifecycle events', () => {
  it('move the partner’s order: partial then complete shipment; unknown orders are ignored', async () => {
    await store.transaction((tx) =>
      docs.insert(tx, { partnerId: 'a', kind: 'order', id: 'O1', data: order('O1'), status: 'received', source: 't' }),
    );
    const shipped = (complete: boolean, orderId = 'O1') =>
      makeEvent({
        type: 'crossdock.order.shipped.v1',
        source: 'crossdock://connector/wms/main',
        partitionkey: `order/${orderId}`,
        data: { orderId, shipmentId: 'S1', complete, lines: [] },
      });
    expect(await store.transaction((tx) => applyOrderStatusEvent(docs, shipped(false), tx))).toBe(true);
    expect((await docs.require('a', 'order', 'O1')).data.status).toBe('partially-shipped');
    expect(await store.transaction((tx) => applyOrderStatusEvent(docs, shipped(true), tx))).toBe(true);
    expect((await docs.require('a', 'order', 'O1')).status).toBe('shipped');
    expect(await store.transaction((tx) => applyOrderStatusEvent(docs, shipped(true, 'NOPE'), tx))).toBe(false);
  });
});

describe('DocumentStore on PostgreSQL', () => {
  it('inserts, pages, refuses duplicates and stale versions the same way', async () => {
    const pg = await freshPostgresStore();
    try {
      await pg.store.migrate();
      const pgDocs = new DocumentStore(pg.store, { clock });
      const v1 = await pg.store.transaction((tx) =>
        pgDocs.insert(tx, { partnerId: 'a', kind: 'order', id: 'O1', number: 'N1', data: order('O1'), status: 'received', source: 't' }),
      );
      await expect(
        pg.store.transaction((tx) =>
          pgDocs.insert(tx, { partnerId: 'a', kind: 'order', id: 'O2', number: 'N1', data: order('O2'), source: 't' }),
        ),
      ).rejects.toMatchObject({ code: 'CD_ERR_DOCUMENT_CONFLICT', details: { existing: 'O1' } });
      clock.advance(10);
      await pg.store.transaction((tx) => pgDocs.update(tx, v1, { data: v1.data, status: 'accepted', source: 'flow' }));
      await expect(pg.store.transaction((tx) => pgDocs.update(tx, v1, { data: v1.data, source: 'x' }))).rejects.toMatchObject({
        code: 'CD_ERR_PRECONDITION_FAILED',
      });
      const got = await pgDocs.require('a', 'order', 'O1');
      expect([got.version, got.status, typeof got.updatedAt]).toEqual([2, 'accepted', 'number']);
      expect(await pgDocs.get('b', 'order', 'O1')).toBeUndefined();
      expect((await pgDocs.list('a', 'order', { limit: 1 })).items.map((d) => d.id)).toEqual(['O1']);
      expect((await pgDocs.history('a', 'order', 'O1')).map((h) => h.status)).toEqual(['received', 'accepted']);
    } finally {
      await pg.drop();
    }
  });
});
