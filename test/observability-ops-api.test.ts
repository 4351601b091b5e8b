import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesOrderExample } from '../src/canonical/examples/orders.js';
import { type Envelope, makeEvent } from '../src/canonical/index.js';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { createObservabilityModule } from '../src/cli/runtime/modules/observability.module.js';
import type { HubModule } from '../src/cli/runtime/modules.js';
import { Errors, loadConfig, silentLogger } from '../src/kernel/index.js';

/**
 * The console's API over HTTP on a real embedded hub: timelines and search, an SLA breach that
 * raises an owned exception and closes itself, a dead letter turned exception and retried, the
 * operator actions (with roles), the dashboard, health and metrics.
 */
let dir: string;
let hub: Hub;
let erpDown = true;
let operator: string;
let viewer: string;

const orderA = {
  ...salesOrderExample,
  id: 'so-a',
  orderNumber: 'SO-A',
  channelOrderId: '#1001',
  channel: 'web',
  refs: { netsuite: 'NS-A' },
};
const orderB = { ...salesOrderExample, id: 'so-b', orderNumber: 'SO-B', channelOrderId: '#1002', channel: 'web', refs: {} };

/** An ERP sync that fails for good while the ERP refuses orders: its events go to the dead letters. */
const erpSync: HubModule = {
  name: 'test-erp-sync',
  async start(ctx) {
    ctx.eventlog.subscribe({
      group: 'erp-sync',
      topic: 'orders',
      types: ['crossdock.order.accepted.v1'],
      handler: async (event) => {
        if (erpDown && event.subject === 'order/so-b')
          throw Errors.validation('ERP refused the order: customer C10045 is blocked', { path: 'customer' });
      },
    });
  },
};

function order(type: string, data: typeof orderA | typeof orderB): Envelope {
  return makeEvent({
    type,
    source: 'crossdock://connector/shopify/eu',
    data,
    partitionkey: `order/${data.id}`,
    subject: `order/${data.id}`,
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The value at a path in a JSON answer (undefined when the path is absent). */
function at(value: unknown, ...path: Array<string | number>): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = Reflect.get(v, key);
  }
  return v;
}

/** The array at a path; fails the test when it is not one. */
function list(value: unknown, ...path: Array<string | number>): unknown[] {
  const v = at(value, ...path);
  if (!Array.isArray(v)) throw new Error(`expected an array at ${path.join('.') || '(root)'}, got ${JSON.stringify(v)}`);
  return v;
}

/** The number at a path; fails the test when it is not one. */
function num(value: unknown, ...path: Array<string | number>): number {
  const v = at(value, ...path);
  if (typeof v !== 'number') throw new Error(`expected a number at ${path.join('.')}, got ${JSON.stringify(v)}`);
  return v;
}

async function call(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${hub.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
}
const get = (path: string, token = operator) => call('GET', path, token);
const post = (path: string, body: unknown, token = operator) => call('POST', path, token, body);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cd-ops-api-'));
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: dir,
      port: 0,
      log: { level: 'silent' },
      eventlog: { pollIntervalMs: 20 },
      observability: {
        tickMs: 50,
        timelines: { topics: ['orders', 'shipments'] },
        sla: [{ id: 'accept-fast', kind: 'order', from: 'received', to: 'accepted', within: '300ms', resolveWithin: '1h' }],
        exceptions: {
          ownerRules: [{ categoryPrefix: 'sla.order', channel: 'web', owner: 'web-team' }],
          due: [{ categoryPrefix: 'eventlog.', within: '4h' }],
        },
      },
    },
  });
  hub = await startHub(config, { logger: silentLogger(), modules: [createObservabilityModule(), erpSync] });
  await hub.identity.createUser('olga', 'operator-pass-1', 'operator');
  await hub.identity.createUser('victor', 'viewer-pass-1', 'viewer');
  operator = String(
    at((await call('POST', '/v1/auth/login', undefined, { username: 'olga', password: 'operator-pass-1' })).body, 'access_token'),
  );
  viewer = String(
    at((await call('POST', '/v1/auth/login', undefined, { username: 'victor', password: 'viewer-pass-1' })).body, 'access_token'),
  );
});
afterAll(async () => {
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ops API', () => {
  it('needs a console login', async () => {
    expect((await get('/ops/dashboard', '')).status).toBe(401);
    expect((await get('/ops/session', viewer)).body).toMatchObject({ kind: 'user', username: 'victor', role: 'viewer' });
  });

  it('finds an order by its channel id and shows its timeline; a late acceptance breaches its SLA, and the exception closes when it comes', async () => {
    await hub.eventlog.publish('orders', [order('crossdock.order.received.v1', orderA)]);
    const hits = await until('search hit', async () => {
      const r = await get(`/ops/timelines/search?q=${encodeURIComponent('#1001')}`);
      const found = at(r.body, 'hits');
      return Array.isArray(found) && found.length > 0 ? found : undefined;
    });
    expect(hits).toMatchObject([{ kind: 'order', id: 'so-a', label: 'SO-A', matchedKey: 'channel-order-id' }]);
    expect(at((await get('/ops/timelines/search?q=NS-A')).body, 'hits', 0, 'id')).toBe('so-a');

    const breach = await until('SLA breach exception', async () => {
      const r = await get('/ops/exceptions?categoryPrefix=sla.&status=open');
      return at(r.body, 'items', 0);
    });
    expect(breach).toMatchObject({
      category: 'sla.order.accepted',
      owner: 'web-team',
      channel: 'web',
      subject: 'order/so-a',
      overdue: false,
    });
    expect(num(breach, 'dueAt') - num(breach, 'openedAt')).toBe(3_600_000);

    await hub.eventlog.publish('orders', [order('crossdock.order.accepted.v1', orderA)]);
    const closed = await until('auto-close', async () => {
      const r = await get(`/ops/exceptions/${String(at(breach, 'id'))}`);
      return at(r.body, 'status') === 'resolved' ? r.body : undefined;
    });
    expect(at(closed, 'resolvedBy')).toBe('system');
    expect(list(closed, 'history').map((h) => at(h, 'action'))).toEqual(['opened', 'resolved']);

    const timeline = (await get('/ops/timelines/order/%231001')).body;
    expect(list(timeline, 'milestones').map((m) => [at(m, 'milestone'), at(m, 'system')])).toEqual([
      ['received', 'shopify'],
      ['accepted', 'shopify'],
    ]);
    expect(num(timeline, 'milestones', 1, 'latencyMs')).toBeGreaterThanOrEqual(0);
    expect(at(timeline, 'sla')).toMatchObject([{ rule: 'accept-fast', status: 'breached', exceptionId: at(breach, 'id') }]);
    expect((await get('/ops/timelines/order/nope')).status).toBe(404);
  });

  it('turns a dead letter into an exception; a viewer may look but not act; a bad edit is refused naming the field; retry redrives it and the exception closes', async () => {
    await hub.eventlog.publish('orders', [order('crossdock.order.accepted.v1', orderB)]);
    const dead = await until('dead letter', async () => at((await get('/ops/dead-letters')).body, 'items', 0));
    expect(dead).toMatchObject({ group: 'erp-sync', topic: 'orders', errorCode: 'CD_ERR_VALIDATION', redrivenAt: null });

    const e = await until('dead-letter exception', async () =>
      at((await get('/ops/exceptions?category=eventlog.dead-letter')).body, 'items', 0),
    );
    const id = String(at(e, 'id'));
    expect(e).toMatchObject({
      status: 'open',
      subject: 'order/so-b',
      severity: 'high',
      available: ['resolve', 'assign', 'retry', 'resubmit'],
    });
    expect(num(e, 'dueAt') - num(e, 'openedAt')).toBe(4 * 3_600_000);

    expect((await get(`/ops/exceptions/${id}`, viewer)).status).toBe(200);
    const forbidden = await post(`/ops/exceptions/${id}/actions`, { action: 'retry' }, viewer);
    expect(forbidden.status).toBe(403);

    const bad = await post(`/ops/exceptions/${id}/actions`, { action: 'resubmit', payload: { ...orderB, currency: 'dollars' } });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'CD_ERR_VALIDATION' });
    expect(at(bad.body, 'errors', 0, 'path')).toBe('data.currency');
    expect(at((await get(`/ops/exceptions/${id}`)).body, 'status')).toBe('open');

    erpDown = false;
    const retried = await post(`/ops/exceptions/${id}/actions`, { action: 'retry' });
    expect(retried.body).toMatchObject({ ok: true, action: 'retry', result: { redriven: 1 } });
    await until('exception closes after redrive', async () => at((await get(`/ops/exceptions/${id}`)).body, 'status') === 'resolved');
    const history = list((await get(`/ops/exceptions/${id}`)).body, 'history');
    expect(history.map((h) => [at(h, 'action'), at(h, 'actor')])).toEqual([
      ['opened', 'system'],
      ['retried', 'olga'],
      ['resolved', 'system'],
    ]);
    await until('dead letter drained', async () => list((await get('/ops/dead-letters')).body, 'items').length === 0);
    expect(at((await get('/ops/dead-letters?includeRedriven=true')).body, 'items', 0, 'redrivenAt')).not.toBeNull();
  });

  it('assigns and resolves in bulk, each exception on its own; a resolution needs a reason', async () => {
    const exceptions = hub.services.exceptions;
    if (!exceptions) throw new Error('exceptions service missing');
    const a = await exceptions.raise({
      category: 'order.price-mismatch',
      title: 'SO-9 price',
      source: 'flow',
      subject: 'order/so-9',
      partner: 'acme',
    });
    const b = await exceptions.raise({
      category: 'order.price-mismatch',
      title: 'SO-10 price',
      source: 'flow',
      subject: 'order/so-10',
      partner: 'acme',
    });
    const noReason = await post('/ops/exceptions/bulk', { ids: [a.id, b.id], request: { action: 'resolve', reason: '' } });
    expect(noReason.status).toBe(422);
    expect(at(noReason.body, 'errors', 0, 'path')).toBe('request.reason');

    const assigned = await post('/ops/exceptions/bulk', { ids: [a.id, b.id], request: { action: 'assign', owner: 'pricing' } });
    expect(assigned.body).toMatchObject({ succeeded: 2, failed: 0 });
    expect(
      list((await get('/ops/exceptions?owner=pricing')).body, 'items')
        .map((x) => String(at(x, 'id')))
        .sort(),
    ).toEqual([a.id, b.id].sort());

    const resolved = await post('/ops/exceptions/bulk', {
      ids: [a.id, b.id, 'no-such-id'],
      request: { action: 'resolve', reason: 'price list corrected' },
    });
    expect(at(resolved.body, 'succeeded')).toBe(2);
    expect(at(resolved.body, 'results', 2)).toMatchObject({ id: 'no-such-id', ok: false, error: { code: 'CD_ERR_EXCEPTION_NOT_FOUND' } });
    expect((await get(`/ops/exceptions/${a.id}`)).body).toMatchObject({
      status: 'resolved',
      resolution: 'price list corrected',
      resolvedBy: 'olga',
    });
    const again = await post(`/ops/exceptions/${a.id}/actions`, { action: 'resolve', reason: 'again' });
    expect(again.status).toBe(409);
  });

  it('draws the dashboard from what happened, and exposes health, EDI and metrics', async () => {
    const d = (await get('/ops/dashboard?bucket=1h')).body;
    expect(at(d, 'bucketStarts')).toHaveLength(24);
    expect(at(d, 'throughput', 'total')).toBe(3);
    // One channel, with its buckets as an array (list() fails the test otherwise).
    expect(list(d, 'throughput', 'by', 'channel')).toEqual([
      { key: 'web', total: 3, buckets: list(d, 'throughput', 'by', 'channel', 0, 'buckets') },
    ]);
    expect(
      list(d, 'throughput', 'by', 'messageType')
        .map((x) => String(at(x, 'key')))
        .sort(),
    ).toEqual(['crossdock.order.accepted.v1', 'crossdock.order.received.v1']);
    expect(at(d, 'slaBreaches')).toMatchObject({
      total: 1,
      by: { channel: [{ key: 'web', total: 1 }], messageType: [{ key: 'order.accepted', total: 1 }] },
    });
    expect(at(d, 'failures', 'total')).toBe(1);
    expect(num(d, 'failureRate', 'overall')).toBeCloseTo(1 / 4);
    expect(list(d, 'lag', 'groups').some((g) => at(g, 'group') === 'observability-timeline')).toBe(true);
    // The leader samples lag every minute: the current hour has a sample, the first hour of the day none.
    expect(at(d, 'lag', 'buckets')).toHaveLength(24);
    expect(at(d, 'lag', 'buckets', 23)).toBeTypeOf('number');
    expect(at(d, 'lag', 'buckets', 0)).toBeNull();
    expect((await get('/ops/dashboard?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(422);

    await hub.identity.createPartner('acme', 'Acme Retail');
    const partners = at((await get('/ops/partners')).body, 'items');
    expect(partners).toMatchObject([
      { id: 'C10045', status: 'unregistered', slaBreaches24h: 1, health: 'attention' },
      { id: 'acme', name: 'Acme Retail', status: 'active', openExceptions: 0, health: 'ok' },
    ]);
    expect((await get('/ops/connectors')).status).toBe(200);
    expect((await get('/ops/edi/interchanges')).body).toEqual({ items: [] });
    expect((await get('/ops/availability/explain?item=SKU-1&channel=web')).status).toBe(404);
    expect(at((await get('/ops/sla/clocks?status=breached')).body, 'clocks')).toHaveLength(1);

    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(
      /crossdock_sla_breaches_total\{kind="order",milestone="accepted",partner="C10045",warehouse="",channel="web"\} 1/,
    );
    expect(metrics).toMatch(/crossdock_milestones_total\{kind="order",milestone="received",type="crossdock.order.received.v1"\} 1/);
  });
});

describe('the default hub', () => {
  it('runs the observability module among all the others and serves the ops API', async () => {
    const defaultDir = mkdtempSync(join(tmpdir(), 'cd-ops-default-'));
    const full = await startHub(loadConfig({ env: {}, overrides: { dataDir: defaultDir, port: 0, log: { level: 'silent' } } }), {
      logger: silentLogger(),
    });
    try {
      expect(full.services.timelines).toBeDefined();
      expect(full.services.exceptions).toBeDefined();
      await full.identity.createUser('ada', 'admin-pass-12', 'admin');
      const login = await fetch(`${full.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ada', password: 'admin-pass-12' }),
      });
      const token = ((await login.json()) as { access_token: string }).access_token;
      const dashboard = await fetch(`${full.url}/ops/dashboard`, { headers: { authorization: `Bearer ${token}` } });
      expect(dashboard.status).toBe(200);
      const groups = ((await dashboard.json()) as { lag: { groups: Array<{ group: string }> } }).lag.groups.map((g) => g.group);
      expect(groups).toContain('observability-timeline');
    } finally {
      await full.stop();
      rmSync(defaultDir, { recursive: true, force: true });
    }
  });
});
