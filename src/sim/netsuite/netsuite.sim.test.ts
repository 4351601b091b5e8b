import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/index.js';
import { type NetSuiteSim, startNetSuiteSim } from './netsuite.sim.js';

/** An independent OAuth 1.0a HMAC-SHA256 signer, written from RFC 5849, so the test does not trust the simulator's code. */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface SignOptions {
  nonce?: string;
  timestamp?: number;
  consumerSecret?: string;
}

function sign(sim: NetSuiteSim, clock: ManualClock, method: string, url: string, opts: SignOptions = {}): string {
  const c = sim.credentials;
  const u = new URL(url);
  const oauth: Record<string, string> = {
    oauth_consumer_key: c.consumerKey,
    oauth_token: c.tokenId,
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(opts.timestamp ?? Math.floor(clock.now() / 1000)),
    oauth_nonce: opts.nonce ?? randomBytes(12).toString('hex'),
    oauth_version: '1.0',
  };
  const params = [...u.searchParams.entries(), ...Object.entries(oauth)].map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort();
  const base = `${method}&${rfc3986(`${u.protocol}//${u.host}${u.pathname}`)}&${rfc3986(params.join('&'))}`;
  const key = `${rfc3986(opts.consumerSecret ?? c.consumerSecret)}&${rfc3986(c.tokenSecret)}`;
  const signature = createHmac('sha256', key).update(base).digest('base64');
  const fields = Object.entries({ ...oauth, oauth_signature: signature }).map(([k, v]) => `${k}="${rfc3986(v)}"`);
  return `OAuth realm="${c.accountId}", ${fields.join(', ')}`;
}

let sim: NetSuiteSim;
let clock: ManualClock;

async function call(
  method: string,
  url: string,
  body?: unknown,
  opts: SignOptions & { headers?: Record<string, string>; signal?: AbortSignal } = {},
) {
  const res = await fetch(url, {
    method,
    headers: { authorization: sign(sim, clock, method, url, opts), 'content-type': 'application/json', ...(opts.headers ?? {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

const suiteql = (q: string, query = '') => call('POST', `${sim.suiteqlUrl}${query}`, { q }, { headers: { prefer: 'transient' } });

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  sim = await startNetSuiteSim({ clock });
});
afterEach(() => sim.close());

describe('NetSuite token-based authentication', () => {
  it('accepts a correctly signed request, including query parameters in the signature', async () => {
    const res = await call('GET', `${sim.recordUrl}/customer?limit=10&offset=0`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 0, hasMore: false, items: [], totalResults: 0 });
  });

  it('refuses a wrong secret, a reused nonce and a stale timestamp with the INVALID_LOGIN body', async () => {
    const expected = {
      type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
      title: 'Unauthorized',
      status: 401,
      'o:errorDetails': [{ detail: expect.stringContaining('Invalid login attempt.'), 'o:errorCode': 'INVALID_LOGIN' }],
    };
    const url = `${sim.recordUrl}/customer`;
    const wrongSecret = await call('GET', url, undefined, { consumerSecret: 'guess' });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual(expected);
    expect(wrongSecret.headers.get('www-authenticate')).toContain('realm="1234567_SB1"');

    expect((await call('GET', url, undefined, { nonce: 'once-only-nonce' })).status).toBe(200);
    const replay = await call('GET', url, undefined, { nonce: 'once-only-nonce' });
    expect(replay).toMatchObject({ status: 401, body: expected });

    const stale = await call('GET', url, undefined, { timestamp: Math.floor(clock.now() / 1000) - 3600 });
    expect(stale).toMatchObject({ status: 401, body: expected });
    expect(sim.loginAudit.map((e) => e.detail)).toEqual(['InvalidSignature', 'InvalidNonce', 'InvalidTimestamp']);
  });
});

describe('NetSuite record service', () => {
  it('creates with 204 and a Location header, then reads by id and by external id', async () => {
    const created = await call('POST', `${sim.recordUrl}/customer`, {
      companyName: 'Northwind',
      externalId: 'CUST-9',
      email: 'ap@northwind.test',
    });
    expect(created.status).toBe(204);
    const location = created.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^${sim.recordUrl}/customer/\\d+$`));
    const byId = await call('GET', location);
    expect(byId.body).toMatchObject({ companyName: 'Northwind', externalId: 'CUST-9', links: [{ rel: 'self', href: location }] });
    const byEid = await call('GET', `${sim.recordUrl}/customer/eid:CUST-9`);
    expect(byEid.body.id).toBe(byId.body.id);
    const missing = await call('GET', `${sim.recordUrl}/customer/999999`);
    expect(missing.status).toBe(404);
    expect(missing.body['o:errorDetails'][0]['o:errorCode']).toBe('NONEXISTENT_ID');
  });

  it('walks a list through limit/offset and the next links', async () => {
    for (let i = 1; i <= 5; i++) sim.seed('customer', { companyName: `C${i}` });
    let url: string | undefined = `${sim.recordUrl}/customer?limit=2`;
    const ids: string[] = [];
    while (url) {
      const page = await call('GET', url);
      expect(page.body.totalResults).toBe(5);
      ids.push(...page.body.items.map((i: { id: string }) => i.id));
      const next = page.body.links.find((l: { rel: string }) => l.rel === 'next');
      expect(page.body.hasMore).toBe(next !== undefined);
      url = next?.href;
    }
    expect(new Set(ids).size).toBe(5);
  });

  it('upserts with PUT eid: once created, then updated in place', async () => {
    const url = `${sim.recordUrl}/customer/eid:WEB-42`;
    const first = await call('PUT', url, { companyName: 'Contoso' });
    expect(first.status).toBe(204);
    const second = await call('PUT', url, { companyName: 'Contoso Ltd' });
    expect(second.status).toBe(204);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(sim.state.all('customer')).toHaveLength(1);
    expect(sim.state.all('customer')[0]).toMatchObject({ companyName: 'Contoso Ltd', externalId: 'WEB-42' });
    expect((await call('PATCH', url, { email: 'x@contoso.test' })).status).toBe(204);
    expect(sim.state.byExternalId('customer', 'WEB-42')?.email).toBe('x@contoso.test');
  });

  it('checks references and computes sales order lines; sublists are links unless expanded', async () => {
    const bad = await call('POST', `${sim.recordUrl}/salesOrder`, { entity: { id: '424242' } });
    expect(bad.status).toBe(400);
    expect(bad.body['o:errorDetails'][0]).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'entity' });
    const customer = sim.seed('customer', { companyName: 'Fabrikam' });
    const item = sim.seed('inventoryItem', { itemId: 'PALLET-WRAP' });
    const created = await call('POST', `${sim.recordUrl}/salesOrder`, {
      entity: { id: customer.id },
      item: { items: [{ item: { id: item.id }, quantity: 3, rate: 12.5 }] },
    });
    expect(created.status).toBe(204);
    const location = created.headers.get('location') ?? '';
    const plain = await call('GET', location);
    expect(plain.body.total).toBe(37.5);
    expect(plain.body.item).toEqual({ links: [{ rel: 'self', href: `${location}/item` }] });
    const expanded = await call('GET', `${location}?expandSubResources=true`);
    expect(expanded.body.item.items[0]).toMatchObject({ item: { id: item.id }, quantity: 3, amount: 37.5 });
  });
});

describe('NetSuite SuiteQL', () => {
  it('filters, orders and pages transactions modified after a point in time', async () => {
    const customer = sim.seed('customer', { companyName: 'Tailspin' });
    const orders = [];
    for (let i = 0; i < 4; i++) {
      orders.push(sim.seed('salesOrder', { entity: { id: customer.id }, memo: `order ${i}` }));
      clock.advance(60_000);
    }
    sim.seed('vendor', { companyName: 'Supplier' });
    const q =
      "SELECT id, tranid, type, entity FROM transaction WHERE type = 'SalesOrd' AND lastmodifieddate > TO_DATE('2026-03-02 09:00:30', 'YYYY-MM-DD HH24:MI:SS') ORDER BY id DESC";
    const first = await suiteql(q, '?limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 2, hasMore: true, offset: 0, totalResults: 3 });
    expect(first.body.items[0]).toEqual({
      links: [],
      id: orders[3]?.id,
      tranid: `SO${orders[3]?.id}`,
      type: 'SalesOrd',
      entity: customer.id,
    });
    const second = await suiteql(q, '?limit=2&offset=2');
    expect(second.body).toMatchObject({ count: 1, hasMore: false });
    expect(second.body.items[0].id).toBe(orders[1]?.id);
  });

  it('requires Prefer: transient and names an unknown column', async () => {
    const noPrefer = await call('POST', sim.suiteqlUrl, { q: 'SELECT id FROM customer' });
    expect(noPrefer.status).toBe(400);
    const badColumn = await suiteql('SELECT shoesize FROM customer');
    expect(badColumn.status).toBe(400);
    expect(badColumn.body['o:errorDetails'][0].detail).toContain("Field 'shoesize'");
  });
});

describe('NetSuite governance and faults', () => {
  it('refuses exactly one of six parallel requests when the account allows five', async () => {
    sim.settings.processingDelayMs = 150;
    const results = await Promise.all(Array.from({ length: 6 }, () => call('GET', `${sim.recordUrl}/customer`)));
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.body['o:errorDetails'][0]['o:errorCode']).toBe('CONCURRENCY_LIMIT_EXCEEDED');
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
  });

  it('commits a create that times out, and answers an armed 503 with the NetSuite body', async () => {
    sim.faults.arm({ kind: 'timeout-after-commit' }, { method: 'PUT' });
    await expect(
      call('PUT', `${sim.recordUrl}/customer/eid:LATE-1`, { companyName: 'Late' }, { signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(sim.state.byExternalId('customer', 'LATE-1')).toBeDefined();

    sim.faults.arm({ kind: 'status', status: 503, retryAfterSeconds: 3 });
    const res = await call('GET', `${sim.recordUrl}/customer`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.body).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      'o:errorDetails': [{ 'o:errorCode': expect.any(String) }],
    });
  });
});
