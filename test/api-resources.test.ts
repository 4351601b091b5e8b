import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acknowledgementExample,
  asnExample,
  inventoryUpdateExample,
  orderExample,
  returnExample,
} from '../src/gateway/routes/v1/examples.js';
import { type ApiHarness, createApiHarness } from '../src/gateway/routes/v1/testing/harness.js';
import { ManualClock } from '../src/kernel/index.js';

let h: ApiHarness;
let key: string;
const observed = new Map<string, unknown>();

beforeAll(async () => {
  h = await createApiHarness({
    timelines: {
      async forOrder(id) {
        return observed.get(id);
      },
    },
  });
  key = await h.partner('acme');
});
afterAll(async () => {
  await h.close();
});

const auth = () => ({ authorization: `Bearer ${key}` });
function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'POST',
    url,
    headers: { ...auth(), 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
}
function get(url: string, headers: Record<string, string> = {}) {
  return h.app.inject({ method: 'GET', url, headers: { ...auth(), ...headers } });
}
async function events(topic: string) {
  return (await h.eventlog.read(topic, { limit: 1000 })).map((e) => e.envelope);
}

describe('orders', () => {
  it('creates an order, publishes order.received with it, and serves it with an ETag and 304', async () => {
    const created = await post('/v1/orders', { ...orderExample, channelOrderId: 'WEB-1' });
    expect(created.statusCode).toBe(201);
    const order = created.json();
    expect(order).toMatchObject({ status: 'received', channelOrderId: 'WEB-1', currency: 'USD' });
    expect(created.headers.location).toBe(`/v1/orders/${order.id}`);
    expect(created.headers.etag).toBe('"v1"');
    const published = (await events('orders')).filter((e) => e.subject === `order/${order.id}`);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ type: 'crossdock.order.received.v1', source: 'crossdock://partner/acme', data: { id: order.id } });

    const read = await get(`/v1/orders/${order.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(order);
    expect(read.headers.etag).toBe('"v1"');
    const again = await get(`/v1/orders/${order.id}`, { 'if-none-match': '"v1"' });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('refuses a second order with the same channelOrderId (409) and names bad fields (422)', async () => {
    expect((await post('/v1/orders', { ...orderExample, channelOrderId: 'WEB-DUP' })).statusCode).toBe(201);
    const dup = await post('/v1/orders', { ...orderExample, channelOrderId: 'WEB-DUP' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'CD_ERR_DOCUMENT_CONFLICT' });
    const bad = await post('/v1/orders', {
      ...orderExample,
      channelOrderId: 'WEB-BAD',
      lines: [{ ...orderExample.lines[0], quantity: { value: 'ten', uom: 'BX' } }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json()).toMatchObject({ code: 'CD_ERR_VALIDATION', errors: [{ path: 'lines[0].quantity.value' }] });
    const serverField = await post('/v1/orders', { ...orderExample, channelOrderId: 'WEB-S', status: 'shipped' });
    expect(serverField.statusCode).toBe(422);
  });

  it('cancels with If-Match: a stale ETag gets 412, the current one cancels and publishes order.cancelled', async () => {
    const order = (await post('/v1/orders', { ...orderExample, channelOrderId: 'WEB-C' })).json();
    const stale = await post(`/v1/orders/${order.id}/cancel`, { reason: 'dup' }, { 'if-match': '"v7"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'CD_ERR_PRECONDITION_FAILED' });
    const ok = await post(`/v1/orders/${order.id}/cancel`, { reason: 'ordered twice' }, { 'if-match': '"v1"' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: order.id, status: 'cancelled' });
    expect(ok.headers.etag).toBe('"v2"');
    const cancelled = (await events('orders')).filter((e) => e.type === 'crossdock.order.cancelled.v1');
    expect(cancelled.map((e) => e.data)).toContainEqual(expect.objectContaining({ orderId: order.id, reason: 'ordered twice' }));
    const timeline = await get(`/v1/orders/${order.id}/timeline`);
    expect(timeline.json()).toMatchObject({
      source: 'order-history',
      entries: [
        { status: 'received', source: 'partner:acme' },
        { status: 'cancelled', note: 'ordered twice' },
      ],
    });
  });

  it('refuses to cancel an order already released to a warehouse (409)', async () => {
    const order = (await post('/v1/orders', { ...orderExample, channelOrderId: 'WEB-R' })).json();
    await h.store.transaction(async (tx) => {
      const doc = await h.documents.require('acme', 'order', order.id, tx);
      await h.documents.update(tx, doc, { data: { ...doc.data, status: 'released' }, status: 'released', source: 'flow:test' });
    });
    const res = await post(`/v1/orders/${order.id}/cancel`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CD_ERR_ORDER_NOT_CANCELLABLE' });
  });

  it('answers the timeline from the observability service when it has one', async () => {
    const order = (await post('/v1/orders', { ...orderExample, channelOrderId: 'WEB-T' })).json();
    // The shape of the observability module's TimelineView (extra fields are not passed on).
    observed.set(order.id, {
      kind: 'order',
      id: order.id,
      partner: 'acme',
      milestones: [
        { milestone: 'received', system: 'gateway', at: '2026-03-02T09:15:01.000Z', latencyMs: null, detail: { secret: 1 } },
        { milestone: 'booked', system: 'netsuite', at: '2026-03-02T09:15:03.000Z', latencyMs: 2000, detail: {} },
      ],
    });
    const res = await get(`/v1/orders/${order.id}/timeline`);
    expect(res.json()).toMatchObject({
      source: 'observability',
      entries: [{ status: 'received' }, { status: 'booked', source: 'netsuite' }],
    });
  });

  it('pages with a cursor in change order and filters by updated_since', async () => {
    const other = await h.partner('pager');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' },
        payload: { ...orderExample, channelOrderId: `P-${i}` },
      });
      ids.push(res.json().id);
    }
    const seen: string[] = [];
    let url = '/v1/orders?limit=2';
    for (let page = 0; page < 5; page++) {
      const res = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${other}` } });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...body.items.map((o: { id: string }) => o.id));
      if (!body.nextCursor) break;
      expect(res.headers.link).toContain('rel="next"');
      url = `/v1/orders?limit=2&cursor=${body.nextCursor}`;
    }
    expect(seen).toEqual(ids);
    const future = await h.app.inject({
      method: 'GET',
      url: `/v1/orders?updated_since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      headers: { authorization: `Bearer ${other}` },
    });
    expect(future.json()).toEqual({ items: [] });
    const badCursor = await h.app.inject({
      method: 'GET',
      url: '/v1/orders?cursor=nonsense!',
      headers: { authorization: `Bearer ${other}` },
    });
    expect(badCursor.statusCode).toBeGreaterThanOrEqual(400);
    expect(badCursor.statusCode).toBeLessThan(500);
  });
});

describe('idempotency keys on POST', () => {
  it('replays the first response for the same key and body; 422 for another body; one order stored', async () => {
    const body = { ...orderExample, channelOrderId: 'WEB-IDEM' };
    const first = await post('/v1/orders', body, { 'idempotency-key': 'idem-1' });
    const second = await post('/v1/orders', body, { 'idempotency-key': 'idem-1' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(second.headers.location).toBe(first.headers.location);
    const other = await post('/v1/orders', { ...body, currency: 'EUR' }, { 'idempotency-key': 'idem-1' });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'CD_ERR_IDEMPOTENCY_KEY_REUSED' });
    const list = await h.documents.list('acme', 'order', { limit: 200 });
    expect(list.items.filter((o) => o.data.channelOrderId === 'WEB-IDEM')).toHaveLength(1);
    const received = (await events('orders')).filter(
      (e) => e.type === 'crossdock.order.received.v1' && e.subject === `order/${first.json().id}`,
    );
    expect(received).toHaveLength(1);
    expect(received[0]?.idempotencykey).toBe('api:acme:idem-1');
  });

  it('applies to every POST route', async () => {
    const posts: Array<[string, unknown]> = [
      ['/v1/returns', returnExample],
      ['/v1/acknowledgements', acknowledgementExample],
      ['/v1/asns', asnExample],
      ['/v1/inventory-updates', inventoryUpdateExample],
    ];
    for (const [url, body] of posts) {
      const a = await post(url, body, { 'idempotency-key': `k-${url}` });
      const b = await post(url, body, { 'idempotency-key': `k-${url}` });
      expect(a.statusCode, url).toBeLessThan(300);
      expect(b.headers['idempotent-replayed'], url).toBe('true');
      expect(b.json(), url).toEqual(a.json());
      const c = await post(url, { ...(body as object), extra: 1 }, { 'idempotency-key': `k-${url}` });
      expect(c.statusCode, url).toBe(422);
    }
    const order = (await post('/v1/orders', { ...orderExample, channelOrderId: 'WEB-IC' })).json();
    const c1 = await post(`/v1/orders/${order.id}/cancel`, {}, { 'idempotency-key': 'cancel-1' });
    const c2 = await post(`/v1/orders/${order.id}/cancel`, {}, { 'idempotency-key': 'cancel-1' });
    expect(c2.headers['idempotent-replayed']).toBe('true');
    expect(c2.json()).toEqual(c1.json());
  });
});

describe('partner submissions', () => {
  it('returns, acknowledgements, ASNs and inventory updates are stored and published', async () => {
    const ret = await post('/v1/returns', returnExample);
    expect(ret.statusCode).toBe(201);
    expect(ret.json()).toMatchObject({ status: 'requested', rmaNumber: expect.stringMatching(/^RMA-/) });
    expect((await events('returns')).map((e) => e.type)).toContain('crossdock.return.requested.v1');
    const ack = await post('/v1/acknowledgements', { ...acknowledgementExample, ackNumber: 'ACK-X' });
    expect(ack.statusCode).toBe(201);
    const asn = await post('/v1/asns', { ...asnExample, asnNumber: 'ASN-X' });
    expect(asn.statusCode).toBe(201);
    const purchasing = (await events('purchasing')).map((e) => e.type);
    expect(purchasing).toContain('crossdock.purchaseorder.acknowledged.v1');
    expect(purchasing).toContain('crossdock.asn.received.v1');
    const inv = await post('/v1/inventory-updates', inventoryUpdateExample);
    expect(inv.statusCode).toBe(202);
    const adjusted = (await events('inventory')).filter((e) => e.type === 'crossdock.inventory.adjusted.v1');
    expect(adjusted.map((e) => e.data)).toContainEqual(expect.objectContaining({ reasonCode: 'damage', location: { code: 'COL' } }));
    const read = await get(`/v1/asns/${asn.json().id}`);
    expect(read.json()).toEqual(asn.json());
  });

  it('reads back submissions with the read scope alone, or the write scope that implies it', async () => {
    const asn = await post('/v1/asns', { ...asnExample, asnNumber: 'ASN-SCOPES' });
    expect(asn.statusCode).toBe(201);
    const as = (k: string) => ({ authorization: `Bearer ${k}` });
    const reader = (await h.identity.createApiKey('acme', ['asns:read', 'acknowledgements:read', 'inventory:read'])).key;
    const writer = (await h.identity.createApiKey('acme', ['asns:write'])).key;
    const other = (await h.identity.createApiKey('acme', ['orders:read'])).key;
    for (const k of [reader, writer]) expect((await get(`/v1/asns/${asn.json().id}`, as(k))).statusCode).toBe(200);
    expect((await get('/v1/acknowledgements', as(reader))).statusCode).toBe(200);
    expect((await get('/v1/inventory-updates', as(reader))).statusCode).toBe(200);
    // Reading does not let a key submit, and a scope for something else reads nothing here.
    const submit = await post('/v1/asns', { ...asnExample, asnNumber: 'ASN-READER' }, as(reader));
    expect(submit.statusCode).toBe(403);
    expect((await get('/v1/asns', as(other))).statusCode).toBe(403);
    expect((await get('/v1/acknowledgements', as(writer))).statusCode).toBe(403);
  });

  it('serves documents the hub produced (shipments, invoices, items, customers, purchase orders)', async () => {
    const ids = await h.seed('acme');
    for (const [path, kind] of [
      ['shipments', 'shipment'],
      ['invoices', 'invoice'],
      ['items', 'item'],
      ['customers', 'customer'],
      ['purchase-orders', 'purchaseorder'],
    ] as const) {
      const one = await get(`/v1/${path}/${ids[kind]}`);
      expect(one.statusCode, path).toBe(200);
      expect(one.json().id).toBe(ids[kind]);
      const list = await get(`/v1/${path}`);
      expect(list.json().items.map((d: { id: string }) => d.id)).toContain(ids[kind]);
    }
  });
});

describe('request limits', () => {
  it('refuses other content types with 415 and oversized bodies with 413', async () => {
    const text = await h.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...auth(), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: 'CD_ERR_UNSUPPORTED_MEDIA_TYPE' });
    const big = await post('/v1/orders/01ARZ3NDEKTSV4RRFFQ69G5FAV/cancel', { reason: 'x'.repeat(20_000) });
    expect(big.statusCode).toBe(413);
  });
});

describe('idempotency retention', () => {
  it('keeps a key 24 hours: a day later the same key is free for a new request', async () => {
    const clock = new ManualClock(Date.now());
    const h2 = await createApiHarness({ clock });
    try {
      const k = await h2.partner('acme');
      const send = (body: unknown) =>
        h2.app.inject({
          method: 'POST',
          url: '/v1/orders',
          headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json', 'idempotency-key': 'day-key' },
          payload: JSON.stringify(body),
        });
      expect((await send({ ...orderExample, channelOrderId: 'D-1' })).statusCode).toBe(201);
      clock.advance(23 * 3600_000);
      expect((await send({ ...orderExample, channelOrderId: 'D-2' })).statusCode).toBe(422);
      clock.advance(3600_001);
      const later = await send({ ...orderExample, channelOrderId: 'D-2' });
      expect(later.statusCode).toBe(201);
      expect(later.headers['idempotent-replayed']).toBeUndefined();
    } finally {
      await h2.close();
    }
  });
});
