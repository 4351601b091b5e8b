import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCanonicalEventCatalog } from '../canonical/index.js';
import { SqlEventLog } from '../eventlog/index.js';
import { type Clock, Errors, ManualClock, silentLogger } from '../kernel/index.js';
import { createMetrics } from '../observability/index.js';
import { SqliteStore } from '../store/index.js';
import { createGateway } from './app.js';
import { Identity } from './auth/identity.js';
import { IdempotencyStore } from './idempotency.js';
import { QuotaService } from './quota.js';
import { partnerOf } from './security.js';
import type { GatewayApp } from './types.js';

let store: SqliteStore;
let dir: string;
let identity: Identity;
let app: GatewayApp;
let clock: ManualClock;
let created: number;

async function build(options: { plans?: Record<string, { limit: number; windowSeconds: number }>; clock?: Clock } = {}) {
  const quotas = new QuotaService(store, { plans: options.plans ?? {}, ...(options.clock ? { clock: options.clock } : {}) });
  const eventlog = new SqlEventLog({ store, catalog: createCanonicalEventCatalog(), logger: silentLogger() });
  const gw = createGateway({
    logger: silentLogger(),
    metrics: createMetrics({ eventlog }),
    status: { version: 'test', readiness: async () => [] },
    bodyLimit: 4096,
    security: { identity, quotas, planOf: async (p) => (await identity.partner(p))?.plan ?? 'standard' },
  });
  const idem = new IdempotencyStore(store, options.clock ? { clock: options.clock } : {});
  const Thing = z.strictObject({ name: z.string().min(1), qty: z.number().int().positive() });
  gw.post('/v1/things', { config: { scope: 'orders:write' } }, async (request, reply) => {
    const partner = partnerOf(request.principal);
    const body = Thing.safeParse(request.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      throw Errors.validation(`${issue?.path.join('.')}: ${issue?.message}`, { path: issue?.path.join('.') ?? '' });
    }
    const key = request.headers['idempotency-key'];
    const out = await idem.run(
      { partnerId: partner, key: typeof key === 'string' ? key : undefined, method: 'POST', path: '/v1/things', body: body.data },
      async (tx) => {
        created += 1;
        const id = `T-${created}`;
        await tx.db
          .insertInto('kv')
          .values({ namespace: `things:${partner}`, key: id, value: JSON.stringify(body.data), version: 1, updated_at: 1 })
          .execute();
        if (body.data.name === 'explode') throw new Error('downstream failed');
        return { status: 201, body: { id, ...body.data }, headers: { location: `/v1/things/${id}` } };
      },
    );
    if (out.replayed) reply.header('idempotent-replayed', 'true');
    for (const [k, v] of Object.entries(out.headers)) reply.header(k, v);
    return reply.code(out.status).send(out.body);
  });
  gw.get('/v1/things', { config: { scope: 'orders:read' } }, async (request) => {
    const partner = partnerOf(request.principal);
    const rows = await store.db.selectFrom('kv').select('key').where('namespace', '=', `things:${partner}`).execute();
    return { items: rows.map((r) => r.key) };
  });
  await gw.ready();
  return gw;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crossdock-gw-'));
  store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
  clock = new ManualClock(Date.parse('2026-11-22T08:00:00Z'));
  identity = new Identity({ store, signingKey: randomBytes(32), clock, keyCacheMs: 0 });
  await identity.createPartner('acme', 'Acme Retail');
  await identity.createPartner('globex', 'Globex Wholesale');
  created = 0;
  app = await build();
});
afterEach(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/v1/things',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });

describe('authentication and scopes', () => {
  it('refuses a missing or unknown credential with 401 problem+json', async () => {
    const none = await app.inject({ method: 'GET', url: '/v1/things' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.json()).toMatchObject({ status: 401, code: 'CD_ERR_AUTH_REQUIRED', type: '/problems/CD_ERR_AUTH_REQUIRED' });
    const forged = await app.inject({
      method: 'GET',
      url: '/v1/things',
      headers: { authorization: 'Bearer cdk_abcdefabcdef_notarealsecretnotarealsecretnotreal' },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('accepts an API key, stores only its hash, and checks scopes per route', async () => {
    const { key, prefix } = await identity.createApiKey('acme', ['orders:read']);
    const row = await store.db.selectFrom('gw_api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirstOrThrow();
    // The secret may itself contain '_' (base64url): it is everything after `cdk_<prefix>_`.
    const secret = key.slice(`cdk_${prefix}_`.length);
    expect(secret.length).toBeGreaterThan(20);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect((await app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
    const denied = await post(key, { name: 'a', qty: 1 });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'CD_ERR_AUTH_SCOPE' });
  });

  it('rotates keys without downtime: old and new work together until the old is revoked; expiry is honoured', async () => {
    const old = await identity.createApiKey('acme', ['orders:read']);
    const fresh = await identity.createApiKey('acme', ['orders:read'], { expiresAt: clock.now() + 3600_000 });
    const get = (k: string) => app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: `Bearer ${k}` } });
    expect((await get(old.key)).statusCode).toBe(200);
    expect((await get(fresh.key)).statusCode).toBe(200);
    await identity.revokeApiKey(old.prefix);
    expect((await get(old.key)).statusCode).toBe(401);
    expect((await get(fresh.key)).statusCode).toBe(200);
    clock.advance(3600_001);
    expect((await get(fresh.key)).statusCode).toBe(401);
  });

  it('issues short-lived JWTs by OAuth client credentials, limited to granted scopes', async () => {
    const { clientId, clientSecret } = await identity.createClient('globex', ['orders:read', 'orders:write']);
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const token = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&scope=orders:read',
    });
    expect(token.statusCode).toBe(200);
    const body = token.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'orders:read' });
    expect(
      (await app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: `Bearer ${body.access_token}` } })).statusCode,
    ).toBe(200);
    expect((await post(body.access_token, { name: 'a', qty: 1 })).statusCode).toBe(403);
    const wrong = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=nope`,
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'invalid_client' });
    const tooMuch = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&scope=webhooks:manage',
    });
    expect(tooMuch.json()).toMatchObject({ error: 'invalid_scope' });
    clock.advance(901_000);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: `Bearer ${body.access_token}` } })).statusCode,
    ).toBe(401);
  });

  it('logs console users in with a role; roles carry their scopes', async () => {
    await identity.createUser('vera', 'viewer-password-1', 'viewer');
    const login = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'vera', password: 'viewer-password-1' } });
    expect(login.statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${login.json().access_token}` } });
    expect(me.json()).toMatchObject({ kind: 'user', username: 'vera', role: 'viewer' });
    expect(me.json().scopes).toContain('exceptions:read');
    expect(me.json().scopes).not.toContain('exceptions:write');
    const bad = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'vera', password: 'wrong-password' } });
    expect(bad.statusCode).toBe(401);
  });
});

describe('partner isolation', () => {
  it('a partner reads only its own documents', async () => {
    const a = await identity.createApiKey('acme', ['orders:read', 'orders:write']);
    const g = await identity.createApiKey('globex', ['orders:read', 'orders:write']);
    await post(a.key, { name: 'acme-thing', qty: 1 });
    await post(g.key, { name: 'globex-thing', qty: 2 });
    const listA = await app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: `Bearer ${a.key}` } });
    const listG = await app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: `Bearer ${g.key}` } });
    expect(listA.json().items).toEqual(['T-1']);
    expect(listG.json().items).toEqual(['T-2']);
  });
});

describe('idempotency keys', () => {
  it('replays the first response for the same key and body, refuses another body with 422, and keeps no failed attempt', async () => {
    const { key } = await identity.createApiKey('acme', ['orders:write']);
    const first = await post(key, { name: 'pallet', qty: 3 }, { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(201);
    const again = await post(key, { qty: 3, name: 'pallet' }, { 'idempotency-key': 'k-1' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(again.headers.location).toBe(first.headers.location);
    const other = await post(key, { name: 'pallet', qty: 4 }, { 'idempotency-key': 'k-1' });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'CD_ERR_IDEMPOTENCY_KEY_REUSED' });
    expect(created).toBe(1);
    const failed = await post(key, { name: 'explode', qty: 1 }, { 'idempotency-key': 'k-2' });
    expect(failed.statusCode).toBe(503);
    expect(await store.db.selectFrom('kv').selectAll().where('value', 'like', '%explode%').execute()).toEqual([]);
    // The failed attempt left nothing behind: the key is free for the corrected request.
    const retry = await post(key, { name: 'fine', qty: 1 }, { 'idempotency-key': 'k-2' });
    expect(retry.statusCode).toBe(201);
  });

  it('keeps a key for 24 hours; after that the key names a new request', async () => {
    await app.close();
    app = await build({ clock });
    const { key } = await identity.createApiKey('acme', ['orders:write']);
    expect((await post(key, { name: 'pallet', qty: 3 }, { 'idempotency-key': 'k-day' })).statusCode).toBe(201);
    clock.advance(24 * 3600_000 - 1);
    expect((await post(key, { name: 'pallet', qty: 9 }, { 'idempotency-key': 'k-day' })).statusCode).toBe(422);
    clock.advance(2);
    const later = await post(key, { name: 'pallet', qty: 9 }, { 'idempotency-key': 'k-day' });
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json()).toMatchObject({ id: 'T-2', qty: 9 });
    const replay = await post(key, { name: 'pallet', qty: 9 }, { 'idempotency-key': 'k-day' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(created).toBe(2);
  });
});

describe('quotas', () => {
  it('answers 429 with Retry-After and RateLimit fields once a partner’s plan is used up', async () => {
    await app.close();
    app = await build({ plans: { standard: { limit: 5, windowSeconds: 60 } } });
    const { key } = await identity.createApiKey('acme', ['orders:read']);
    const get = () => app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: `Bearer ${key}` } });
    const statuses: number[] = [];
    let last = await get();
    statuses.push(last.statusCode);
    expect(last.headers.ratelimit).toMatch(/^"partner";r=\d+;t=\d+$/);
    expect(last.headers['ratelimit-policy']).toBe('"partner";q=5;w=60');
    for (let i = 0; i < 6; i++) {
      last = await get();
      statuses.push(last.statusCode);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.json()).toMatchObject({ code: 'CD_ERR_QUOTA_EXCEEDED' });
  });

  it('holds across processes: instances sharing a store never grant more than the limit', async () => {
    const limit = 50;
    const services = Array.from({ length: 3 }, () => new QuotaService(store, { plans: { standard: { limit, windowSeconds: 60 } } }));
    const results = await Promise.all(Array.from({ length: 90 }, (_, i) => services[i % 3]!.take('acme', 'standard')));
    expect(results.filter((r) => r.allowed).length).toBeLessThanOrEqual(limit);
    expect(results.filter((r) => r.allowed).length).toBeGreaterThan(limit / 2);
  });
});

describe('problem+json for bad requests', () => {
  it('names malformed JSON, an unsupported content type, an oversized body and an unknown route', async () => {
    const { key } = await identity.createApiKey('acme', ['orders:write']);
    const auth = { authorization: `Bearer ${key}` };
    const malformed = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'CD_ERR_MALFORMED_REQUEST' });
    const xml = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { ...auth, 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(415);
    const huge = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(5000), qty: 1 }),
    });
    expect(huge.statusCode).toBe(413);
    const invalid = await post(key, { name: '', qty: -1 });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json()).toMatchObject({ code: 'CD_ERR_VALIDATION', errors: [{ path: 'name' }] });
    const nowhere = await app.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth });
    expect(nowhere.statusCode).toBe(404);
    const described = await app.inject({ method: 'GET', url: '/problems/CD_ERR_QUOTA_EXCEEDED' });
    expect(described.json()).toMatchObject({ code: 'CD_ERR_QUOTA_EXCEEDED', class: 'retryable' });
  });
});
