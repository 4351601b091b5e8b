import { z } from 'zod';
import { Errors } from '../../kernel/index.js';
import type { IdempotencyStore, StoredResponse } from '../idempotency.js';
import { partnerOf } from '../security.js';
import type { GatewayApp } from '../types.js';
import { DeliveryStatus, type WebhookDeliveries } from './deliveries.js';
import { SubscriptionInput, SubscriptionPatch, type WebhookSubscriptions } from './subscriptions.js';

export interface WebhookRouteDeps {
  subscriptions: WebhookSubscriptions;
  deliveries: WebhookDeliveries;
  idempotency: IdempotencyStore;
  /** Called after a replay committed (wakes the local worker). */
  onQueued?: () => void;
}

const SCOPE = 'webhooks:manage';
const IdParams = z.strictObject({ id: z.string().min(1).max(60) });
const DeliveryQuery = z.strictObject({
  subscription: z.string().min(1).max(60).optional(),
  event: z.string().min(1).max(200).optional(),
  status: DeliveryStatus.optional(),
  cursor: z.string().min(1).max(60).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: pathOf(i.path) || where, message: i.message }));
  throw Errors.validation(`${where}: ${issues[0]?.path} ${issues[0]?.message}`, { path: issues[0]?.path ?? where, issues });
}

function idempotencyKey(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? header : undefined;
}

/**
 * /v1/webhooks: a partner's subscriptions (create, list, read, change, delete, secret, rotate the
 * secret) and its delivery log (list, read with attempts, replay). Everything is scoped to the
 * calling partner; another partner's ids answer 404.
 */
export function webhookRoutes(app: GatewayApp, deps: WebhookRouteDeps): void {
  const config = { scope: SCOPE };
  const send = (
    reply: { header(k: string, v: string): unknown; code(n: number): { send(b: unknown): unknown } },
    out: StoredResponse & { replayed: boolean },
  ) => {
    if (out.replayed) reply.header('idempotent-replayed', 'true');
    for (const [k, v] of Object.entries(out.headers)) reply.header(k, v);
    return reply.code(out.status).send(out.body);
  };

  app.post('/v1/webhooks/subscriptions', { config }, async (request, reply) => {
    const partnerId = partnerOf(request.principal);
    const input = parse(SubscriptionInput, request.body, 'body');
    const out = await deps.idempotency.run(
      {
        partnerId,
        key: idempotencyKey(request.headers['idempotency-key']),
        method: 'POST',
        path: '/v1/webhooks/subscriptions',
        body: input,
      },
      async (tx) => {
        const created = await deps.subscriptions.create(partnerId, input, tx);
        return { status: 201, body: created, headers: { location: `/v1/webhooks/subscriptions/${created.id}` } };
      },
    );
    return send(reply, out);
  });

  app.get('/v1/webhooks/subscriptions', { config }, async (request) => {
    const partnerId = partnerOf(request.principal);
    return { items: await deps.subscriptions.list(partnerId) };
  });

  app.get('/v1/webhooks/subscriptions/:id', { config }, async (request) => {
    const partnerId = partnerOf(request.principal);
    return deps.subscriptions.get(partnerId, parse(IdParams, request.params, 'path').id);
  });

  app.patch('/v1/webhooks/subscriptions/:id', { config }, async (request) => {
    const partnerId = partnerOf(request.principal);
    const { id } = parse(IdParams, request.params, 'path');
    const patch = parse(SubscriptionPatch, request.body, 'body');
    return (await deps.subscriptions.update(partnerId, id, patch)).after;
  });

  app.delete('/v1/webhooks/subscriptions/:id', { config }, async (request, reply) => {
    const partnerId = partnerOf(request.principal);
    await deps.subscriptions.remove(partnerId, parse(IdParams, request.params, 'path').id);
    return reply.code(204).send();
  });

  app.get('/v1/webhooks/subscriptions/:id/secret', { config }, async (request, reply) => {
    const partnerId = partnerOf(request.principal);
    reply.header('cache-control', 'no-store');
    return { secret: await deps.subscriptions.secret(partnerId, parse(IdParams, request.params, 'path').id) };
  });

  app.post('/v1/webhooks/subscriptions/:id/rotate-secret', { config }, async (request, reply) => {
    const partnerId = partnerOf(request.principal);
    const { id } = parse(IdParams, request.params, 'path');
    reply.header('cache-control', 'no-store');
    // Not replayable by Idempotency-Key: the answer holds a secret, which is never kept.
    return deps.subscriptions.rotateSecret(partnerId, id);
  });

  app.get('/v1/webhooks/deliveries', { config }, async (request) => {
    const partnerId = partnerOf(request.principal);
    const q = parse(DeliveryQuery, request.query, 'query');
    return deps.deliveries.list(partnerId, {
      ...(q.subscription !== undefined ? { subscriptionId: q.subscription } : {}),
      ...(q.event !== undefined ? { eventId: q.event } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
    });
  });

  app.get('/v1/webhooks/deliveries/:id', { config }, async (request) => {
    const partnerId = partnerOf(request.principal);
    return deps.deliveries.get(partnerId, parse(IdParams, request.params, 'path').id);
  });

  app.post('/v1/webhooks/deliveries/:id/replay', { config }, async (request, reply) => {
    const partnerId = partnerOf(request.principal);
    const { id } = parse(IdParams, request.params, 'path');
    const path = `/v1/webhooks/deliveries/${id}/replay`;
    const out = await deps.idempotency.run(
      { partnerId, key: idempotencyKey(request.headers['idempotency-key']), method: 'POST', path, body: {} },
      async (tx) => {
        const replay = await deps.deliveries.replay(partnerId, id, tx);
        if (deps.onQueued) tx.afterCommit(deps.onQueued);
        return { status: 202, body: replay, headers: { location: `/v1/webhooks/deliveries/${replay.id}` } };
      },
    );
    return send(reply, out);
  });
}
