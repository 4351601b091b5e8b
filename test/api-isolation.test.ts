import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDoc } from '../src/gateway/routes/v1/index.js';
import { type ApiHarness, createApiHarness } from '../src/gateway/routes/v1/testing/harness.js';

let h: ApiHarness;
const keys: Record<'a' | 'b', string> = { a: '', b: '' };
/** Partner A's documents by collection path (`/v1/orders` -> id). */
const owned = new Map<string, string>();
/** A's creations: collection path -> Idempotency-Key used. */
const keysUsed = new Map<string, string>();

function exampleOf(doc: RouteDoc): unknown {
  return doc.example ?? {};
}

function call(who: 'a' | 'b', method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: method === 'POST' ? 'POST' : 'GET',
    url,
    headers: { authorization: `Bearer ${keys[who]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

beforeAll(async () => {
  h = await createApiHarness();
  keys.a = await h.partner('partner-a');
  keys.b = await h.partner('partner-b');
  // A creates one document through every creating route, and the hub produces the read-only ones.
  for (const { doc } of h.routes) {
    if (doc.method !== 'POST' || doc.path.includes('{')) continue;
    const key = `shared-key-${doc.path}`;
    const res = await call('a', 'POST', doc.path, exampleOf(doc), { 'idempotency-key': key });
    expect(res.statusCode, doc.path).toBeLessThan(300);
    owned.set(doc.path, res.json().id);
    keysUsed.set(doc.path, key);
  }
  const seeded = await h.seed('partner-a');
  const byKind: Record<string, string> = {
    shipment: '/v1/shipments',
    invoice: '/v1/invoices',
    item: '/v1/items',
    customer: '/v1/customers',
    purchaseorder: '/v1/purchase-orders',
  };
  for (const [kind, id] of Object.entries(seeded)) {
    const path = byKind[kind];
    if (path && id) owned.set(path, id);
  }
});
afterAll(async () => {
  await h.close();
});

describe('partner isolation on every /v1 document route', () => {
  it('B neither reads nor changes any of A’s documents, through any route', async () => {
    const walked: string[] = [];
    for (const { doc } of h.routes) {
      const collection = doc.path.replace(/\/\{id\}.*$/, '');
      const id = owned.get(collection);
      expect(id, `A owns a document behind ${doc.path}`).toBeDefined();
      const url = doc.path.replace('{id}', id ?? '');
      if (doc.method === 'GET' && doc.path.includes('{id}')) {
        expect((await call('a', 'GET', url)).statusCode, `A ${url}`).toBe(200);
        const b = await call('b', 'GET', url);
        expect(b.statusCode, `B GET ${doc.path}`).toBe(404);
        expect(b.body).not.toContain(id === undefined ? '-' : `"id":"${id}"`);
      } else if (doc.method === 'GET') {
        expect((await call('a', 'GET', `${url}?limit=200`)).json().items.map((d: { id: string }) => d.id)).toContain(id);
        const b = await call('b', 'GET', `${url}?limit=200`);
        expect(b.statusCode).toBe(200);
        expect(b.body, `B lists ${doc.path}`).not.toContain(id);
      } else if (doc.path.includes('{id}')) {
        const before = await call('a', 'GET', `${collection}/${id}`);
        const b = await call('b', 'POST', url, exampleOf(doc));
        expect(b.statusCode, `B POST ${doc.path}`).toBe(404);
        const after = await call('a', 'GET', `${collection}/${id}`);
        expect(after.json(), `A's document after B's ${doc.path}`).toEqual(before.json());
        expect(after.headers.etag).toBe(before.headers.etag);
      } else {
        // Idempotency keys are per partner: B reusing A's key creates B's own document, never replays A's.
        const b = await call('b', 'POST', url, exampleOf(doc), { 'idempotency-key': keysUsed.get(doc.path) ?? '' });
        expect(b.statusCode, `B POST ${doc.path}`).toBeLessThan(300);
        expect(b.headers['idempotent-replayed']).toBeUndefined();
        expect(b.json().id).not.toBe(id);
        const aList = await call('a', 'GET', `${url}?limit=200`);
        expect(aList.body, `A sees B's ${doc.path}`).not.toContain(b.json().id);
      }
      walked.push(`${doc.method} ${doc.path}`);
    }
    // Every declared /v1 document route was walked.
    expect(walked).toHaveLength(h.routes.length);
    expect(walked.length).toBe(27);
  });

  it('a cancelled order of A stays A’s: B’s cancel of the same id is 404 and A’s order keeps its status', async () => {
    const id = owned.get('/v1/orders') ?? '';
    expect((await call('b', 'POST', `/v1/orders/${id}/cancel`, {})).statusCode).toBe(404);
    expect((await call('a', 'GET', `/v1/orders/${id}`)).json().status).toBe('received');
  });
});
