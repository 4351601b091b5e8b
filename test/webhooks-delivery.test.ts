import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEventType, makeEvent } from '../src/canonical/index.js';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { observabilityModule } from '../src/cli/runtime/modules/observability.module.js';
import { createWebhooksAuditModule } from '../src/cli/runtime/modules/webhooks-audit.module.js';
import { verifySignature } from '../src/gateway/index.js';
import { createLogger, loadConfig } from '../src/kernel/index.js';
import type { AuditLog } from '../src/observability/index.js';
import { runCli } from './support/cli.js';

/**
 * A real embedded hub with the webhooks module, sending to a receiver on loopback: signature,
 * partner isolation, retries on 500 and on timeouts, dead letters after the last attempt, replay.
 */
const thingHappened = defineEventType({
  type: 'crossdock.test.thing_happened.v1',
  schema: z.strictObject({ partnerId: z.string().optional(), n: z.number().int() }),
  description: 'test event',
});
const otherThing = defineEventType({
  type: 'crossdock.test.other_thing.v1',
  schema: z.strictObject({ n: z.number().int() }),
  description: 'test event',
});

type Behaviour = 'ok' | 500 | 'hang';
interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

function startReceiver(): Promise<{ server: Server; url: string; received: Received[]; plan: Map<string, Behaviour[]> }> {
  const received: Received[] = [];
  const plan = new Map<string, Behaviour[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = plan.get(path)?.shift() ?? 'ok';
      if (next === 'hang') return; // never answers: the sender must time out
      res.statusCode = next === 'ok' ? 204 : next;
      res.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}`, received, plan });
    }),
  );
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('outbound webhooks in a running hub', () => {
  let dir: string;
  let hub: Hub;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let acmeKey: string;
  let globexKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cd-webhooks-'));
    receiver = await startReceiver();
    const config = loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, log: { level: 'silent' } } });
    hub = await startHub(config, {
      logger: createLogger({ level: 'silent' }),
      eventTypes: [thingHappened, otherThing],
      modules: [
        // Before webhooks: it provides the exception queue that dead deliveries are reported to.
        observabilityModule,
        createWebhooksAuditModule({
          topics: ['things'],
          policy: { maxAttempts: 3, baseMs: 40, maxMs: 120, timeoutMs: 400 },
          pollMs: 30,
        }),
      ],
    });
    await hub.identity.createPartner('acme', 'Acme Retail');
    await hub.identity.createPartner('globex', 'Globex Wholesale');
    acmeKey = (await hub.identity.createApiKey('acme', ['webhooks:manage'])).key;
    globexKey = (await hub.identity.createApiKey('globex', ['webhooks:manage'])).key;
  });
  afterAll(async () => {
    await hub?.stop();
    receiver?.server.closeAllConnections();
    await new Promise((r) => receiver?.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const r = await fetch(`${hub.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, headers: r.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  async function subscribe(key: string, path: string, eventTypes: string[]) {
    const created = await call('POST', '/v1/webhooks/subscriptions', key, { url: `${receiver.url}${path}`, eventTypes });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const secret = await call('GET', `/v1/webhooks/subscriptions/${id}/secret`, key);
    return { id, secret: String(secret.body.secret) };
  }

  const publish = (data: { partnerId?: string; n: number }, options: { type?: string; source?: string; correlationid?: string } = {}) => {
    const event = makeEvent({
      type: options.type ?? thingHappened.type,
      source: options.source ?? 'crossdock://test',
      ...(options.correlationid ? { correlationid: options.correlationid } : {}),
      partitionkey: `thing/${data.n}`,
      data: options.type === otherThing.type ? { n: data.n } : data,
    });
    return hub.eventlog.publish('things', [event]).then(() => event);
  };

  const delivery = (key: string, id: string) => call('GET', `/v1/webhooks/deliveries/${id}`, key);

  it('sends a partner its own events only, signed over timestamp and body', async () => {
    const sub = await subscribe(acmeKey, '/acme', [thingHappened.type]);
    expect(sub.secret).toMatch(/^whsec_/);
    // Another partner sees none of it.
    expect((await call('GET', `/v1/webhooks/subscriptions/${sub.id}`, globexKey)).status).toBe(404);
    expect((await call('GET', '/v1/webhooks/subscriptions', globexKey)).body.items).toEqual([]);
    expect((await call('DELETE', `/v1/webhooks/subscriptions/${sub.id}`, globexKey)).status).toBe(404);
    expect((await call('GET', `/v1/webhooks/subscriptions/${sub.id}/secret`, globexKey)).status).toBe(404);

    const mine = await publish({ partnerId: 'acme', n: 1 });
    await publish({ partnerId: 'globex', n: 2 });
    await publish({ n: 3 }, { type: otherThing.type, source: 'crossdock://partner/acme' }); // a type acme did not ask for
    const viaSource = await publish({ n: 4 }, { source: 'crossdock://partner/acme' });
    // A later event of the same business transaction, published by a flow, goes to the partner that started it.
    const viaCorrelation = await publish({ n: 5 }, { source: 'crossdock://flow/order-to-cash', correlationid: mine.correlationid });
    await publish({ n: 6 }, { source: 'crossdock://flow/order-to-cash' }); // nobody's
    const got = await until('three deliveries to acme', async () => {
      const r = receiver.received.filter((x) => x.path === '/acme');
      return r.length >= 3 ? r : undefined;
    });
    await new Promise((r) => setTimeout(r, 200));
    const acme = receiver.received.filter((x) => x.path === '/acme');
    expect(acme.map((r) => JSON.parse(r.body).id).sort()).toEqual([mine.id, viaSource.id, viaCorrelation.id].sort());
    const first = got.find((r) => JSON.parse(r.body).id === mine.id);
    expect(first?.headers['crossdock-event-id']).toBe(mine.id);
    expect(first?.headers['crossdock-event-type']).toBe(thingHappened.type);
    const header = first?.headers['crossdock-signature'];
    expect(
      verifySignature({ secret: sub.secret, header: typeof header === 'string' ? header : undefined, body: first?.body ?? '' }),
    ).toMatchObject({
      ok: true,
    });
    // A body changed on the way, or another partner's secret, does not verify.
    expect(verifySignature({ secret: sub.secret, header: String(header), body: `${first?.body} ` }).ok).toBe(false);

    const log = await call('GET', `/v1/webhooks/deliveries?subscription=${sub.id}`, acmeKey);
    const items = log.body.items as Array<{ status: string; attempts: number; eventId: string }>;
    expect(items).toHaveLength(3);
    expect(items.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
    expect((await call('GET', '/v1/webhooks/deliveries', globexKey)).body.items).toEqual([]);

    // The subscription's creation is in the audit log with the partner as actor.
    const audit = hub.services.audit;
    if (!(audit && typeof audit === 'object' && 'list' in audit)) throw new Error('no audit service');
    const entries = await (audit as AuditLog).list({ resource: `webhooks/subscriptions/${sub.id}` });
    expect(entries.map((e) => [e.actor, e.action])).toEqual([['partner:acme', 'POST /v1/webhooks/subscriptions']]);
    await call('DELETE', `/v1/webhooks/subscriptions/${sub.id}`, acmeKey);
  });

  it('retries after a 500 and after a timeout, with the attempts in the delivery log', async () => {
    const sub = await subscribe(acmeKey, '/flaky', [thingHappened.type]);
    // A rotated secret: the old one keeps signing beside the new one for a day.
    const rotated = await call('POST', `/v1/webhooks/subscriptions/${sub.id}/rotate-secret`, acmeKey);
    const newSecret = String(rotated.body.secret);
    expect(newSecret).not.toBe(sub.secret);
    receiver.plan.set('/flaky', [500, 'hang']);
    const event = await publish({ partnerId: 'acme', n: 10 });
    const listed = await until('a delivery', async () => {
      const r = await call('GET', `/v1/webhooks/deliveries?event=${event.id}`, acmeKey);
      const items = r.body.items as Array<{ id: string; status: string }>;
      return items.find((d) => d.status === 'delivered');
    });
    const d = await delivery(acmeKey, listed.id);
    expect(d.body).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 204 });
    const attempts = d.body.attemptLog as Array<{ statusCode: number | null; error: string | null }>;
    expect(attempts.map((a) => a.statusCode)).toEqual([500, null, 204]);
    expect(attempts[1]?.error).toContain('no answer within 400 ms');
    const sent = receiver.received.filter((r) => r.path === '/flaky');
    expect(sent.map((r) => r.headers['crossdock-webhook-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(sent.map((r) => r.body)).size).toBe(1);
    const signature = String(sent[0]?.headers['crossdock-signature']);
    expect(signature.match(/v1=/g)).toHaveLength(2);
    for (const secret of [newSecret, sub.secret])
      expect(verifySignature({ secret, header: signature, body: sent[0]?.body ?? '' }).ok).toBe(true);
    await call('DELETE', `/v1/webhooks/subscriptions/${sub.id}`, acmeKey);
  });

  it('makes a delivery dead after the last attempt, and replays it on request', { timeout: 60_000 }, async () => {
    const sub = await subscribe(acmeKey, '/down', ['*']);
    receiver.plan.set('/down', [500, 500, 500]);
    const event = await publish({ partnerId: 'acme', n: 20 });
    const dead = await until('a dead delivery', async () => {
      const r = await call('GET', '/v1/webhooks/deliveries?status=dead', acmeKey);
      return (r.body.items as Array<{ id: string; eventId: string; attempts: number; lastError: string }>).find(
        (d) => d.eventId === event.id,
      );
    });
    expect(dead).toMatchObject({ attempts: 3, lastError: 'HTTP 500' });
    expect(receiver.received.filter((r) => r.path === '/down')).toHaveLength(3);
    // Another partner cannot replay it.
    expect((await call('POST', `/v1/webhooks/deliveries/${dead.id}/replay`, globexKey)).status).toBe(404);
    const replay = await call('POST', `/v1/webhooks/deliveries/${dead.id}/replay`, acmeKey);
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ replayOf: dead.id, status: 'pending', eventId: event.id });
    const done = await until('the replay delivered', async () => {
      const r = await delivery(acmeKey, String(replay.body.id));
      return r.body.status === 'delivered' ? r.body : undefined;
    });
    expect(done).toMatchObject({ attempts: 1 });
    const last = receiver.received.filter((r) => r.path === '/down').at(-1);
    expect(JSON.parse(last?.body ?? '{}').id).toBe(event.id);
    // The original stays dead in the log, which operators read with the CLI too.
    expect((await delivery(acmeKey, dead.id)).body.status).toBe('dead');
    const cli = runCli(['webhooks', 'deliveries', '--status', 'dead', '--partner', 'acme', '--json', '--data', dir]);
    expect(cli.code).toBe(0);
    const lines = cli.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; attempts: number });
    expect(lines).toContainEqual(expect.objectContaining({ id: dead.id, attempts: 3 }));
    await call('DELETE', `/v1/webhooks/subscriptions/${sub.id}`, acmeKey);
  });

  it('opens one exception per subscription for its dead deliveries; a retry replays them and closes it', { timeout: 60_000 }, async () => {
    const exceptions = hub.services.exceptions;
    const actions = hub.services.exceptionActions;
    if (!exceptions || !actions) throw new Error('the observability module provides the exception queue');
    const sub = await subscribe(acmeKey, '/flaky', ['*']);
    receiver.plan.set('/flaky', [500, 500, 500, 500, 500, 500]);
    const first = await publish({ partnerId: 'acme', n: 30 });
    const second = await publish({ partnerId: 'acme', n: 31 });
    const deadIds = await until('both deliveries dead', async () => {
      const r = await call('GET', `/v1/webhooks/deliveries?status=dead&subscription=${sub.id}`, acmeKey);
      const items = r.body.items as Array<{ id: string; eventId: string }>;
      return items.length === 2 ? items.map((d) => d.id) : undefined;
    });
    expect(deadIds).toHaveLength(2);
    const open = (await exceptions.list({ category: 'webhook.delivery-dead' })).filter(
      (e) => e.subject === `webhook-subscription/${sub.id}`,
    );
    expect(open).toHaveLength(1);
    const exception = open[0];
    if (!exception) throw new Error('no exception');
    expect(exception).toMatchObject({ status: 'open', partner: 'acme', occurrences: 2 });
    expect(actions.available(exception)).toContain('retry');
    // The receiver is back: the operator's retry sends both events again and the exception closes.
    const outcome = await actions.run(exception.id, { action: 'retry' }, 'ops@example.com');
    expect(outcome.ok).toBe(true);
    await until('the exception closed', async () => ((await exceptions.get(exception.id)).status === 'open' ? undefined : true));
    const flaky = receiver.received.filter((r) => r.path === '/flaky').map((r) => JSON.parse(r.body).id);
    expect(flaky.filter((id) => id === first.id)).toHaveLength(4);
    expect(flaky.filter((id) => id === second.id)).toHaveLength(4);
    // Nothing is left to replay; a second retry finds the exception resolved.
    expect(await hub.services.webhooks?.deliveries.deadUnreplayed(sub.id)).toEqual([]);
    await expect(actions.run(exception.id, { action: 'retry' }, 'ops@example.com')).rejects.toMatchObject({
      code: 'CD_ERR_EXCEPTION_CLOSED',
    });
    await call('DELETE', `/v1/webhooks/subscriptions/${sub.id}`, acmeKey);
  });

  it('refuses bad subscriptions with the path of the bad field and needs the scope', async () => {
    const bad = await call('POST', '/v1/webhooks/subscriptions', acmeKey, { url: 'ftp://x', eventTypes: ['nope'] });
    expect(bad.status).toBe(422);
    expect((bad.body.errors as Array<{ path: string }>).map((e) => e.path).sort()).toEqual(['eventTypes[0]', 'url']);
    const noScope = (await hub.identity.createApiKey('acme', ['orders:read'])).key;
    expect((await call('GET', '/v1/webhooks/subscriptions', noScope)).status).toBe(403);
  });
});
