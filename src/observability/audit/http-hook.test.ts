import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createCanonicalEventCatalog } from '../../canonical/index.js';
import { SqlEventLog } from '../../eventlog/index.js';
import { createGateway, type GatewayApp, Identity, QuotaService } from '../../gateway/index.js';
import { Errors, silentLogger } from '../../kernel/index.js';
import { SqliteStore } from '../../store/index.js';
import { createMetrics } from '../metrics.js';
import { AuditLog } from './audit-log.js';
import { digestOf } from './digest.js';
import { installAuditHook } from './http-hook.js';

let store: SqliteStore | undefined;
let app: GatewayApp | undefined;
afterEach(async () => {
  await app?.close();
  await store?.close();
});

async function build() {
  const s = SqliteStore.open({ file: ':memory:' });
  store = s;
  await s.migrate();
  const identity = new Identity({ store: s, signingKey: randomBytes(32), keyCacheMs: 0 });
  await identity.createPartner('acme', 'Acme');
  const { key } = await identity.createApiKey('acme', ['orders:read', 'orders:write']);
  const eventlog = new SqlEventLog({ store: s, catalog: createCanonicalEventCatalog(), logger: silentLogger() });
  const gw = createGateway({
    logger: silentLogger(),
    metrics: createMetrics({ eventlog }),
    status: { version: 't', readiness: async () => [] },
    security: { identity, quotas: new QuotaService(s), planOf: async () => 'standard' },
  });
  const audit = new AuditLog(s);
  installAuditHook(gw, audit);
  gw.post('/v1/things', { config: { scope: 'orders:write' } }, async (request, reply) => {
    const body = request.body as { name?: string };
    if (!body.name) throw Errors.validation('name is required', { path: 'name' });
    return reply.code(201).header('location', '/v1/things/T-1').send({ id: 'T-1', name: body.name });
  });
  gw.get('/v1/things/:id', { config: { scope: 'orders:read' } }, async () => ({ id: 'T-1' }));
  gw.delete('/v1/things/:id', { config: { scope: 'orders:write' } }, async (request, reply) => {
    // This route records its own entry, in its own transaction, with the before state.
    await audit.record({ actor: 'partner:acme', action: 'thing.delete', resource: 'things/T-1', before: { id: 'T-1' } });
    request.auditRecorded = true;
    return reply.code(204).send();
  });
  await gw.ready();
  app = gw;
  return { gw, audit, auth: { authorization: `Bearer ${key}` } };
}

describe('audit hook', () => {
  it('records successful changes with principal, route, resource and digests; not reads, not failures', async () => {
    const { gw, audit, auth } = await build();
    const created = await gw.inject({ method: 'POST', url: '/v1/things', headers: auth, payload: { name: 'bolt' } });
    expect(created.statusCode).toBe(201);
    expect((await gw.inject({ method: 'GET', url: '/v1/things/T-1', headers: auth })).statusCode).toBe(200);
    expect((await gw.inject({ method: 'POST', url: '/v1/things', headers: auth, payload: {} })).statusCode).toBe(422);
    expect((await gw.inject({ method: 'POST', url: '/v1/things', payload: { name: 'x' } })).statusCode).toBe(401);
    expect((await gw.inject({ method: 'DELETE', url: '/v1/things/T-1', headers: auth })).statusCode).toBe(204);
    const entries = (await audit.list()).reverse();
    expect(entries.map((e) => [e.actor, e.action, e.resource])).toEqual([
      ['partner:acme', 'POST /v1/things', 'things/T-1'],
      ['partner:acme', 'thing.delete', 'things/T-1'],
    ]);
    expect(entries[0]?.afterDigest).toBe(digestOf(created.body));
    expect(entries[0]?.detail).toMatchObject({ status: 201, requestDigest: digestOf({ name: 'bolt' }) });
    expect(String(entries[0]?.detail.credential)).toMatch(/^key:[a-z0-9]{12}$/);
    expect(await audit.verify()).toEqual({ ok: true, rows: 2 });
  });
});
