import type { Clock } from '../../kernel/index.js';
import { header, type SimRequest, type SimResponse } from '../kit/http-sim.js';
import { TokenBucket } from '../kit/token-bucket.js';
import { createAsnRoute, createWebhookRoute, getAsnRoute, listAsnsRoute, listWebhooksRoute } from './asns.routes.js';
import { wmsError } from './errors.js';
import type { IdempotencyStore } from './idempotency.js';
import { createAdjustmentRoute, listInventoryRoute, type SnapshotExporter } from './inventory.routes.js';
import { cancelOrderRoute, createOrderRoute, getOrderRoute, listOrdersRoute } from './orders.routes.js';
import type { WmsStore } from './store.js';

export interface RateLimitOptions {
  /** Bucket size per API key: the burst a client may send. */
  limit: number;
  /** Tokens restored per second. */
  refillPerSecond: number;
}

export interface WmsApiDeps {
  store: WmsStore;
  apiKeys: ReadonlySet<string>;
  rateLimit: RateLimitOptions;
  clock: Clock;
  idempotency: IdempotencyStore;
  snapshots: SnapshotExporter;
  webhookSecret: string;
}

/** Token buckets per API key; each response says how much of the bucket is left. */
export class RateLimiter {
  readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: Clock,
  ) {}

  bucket(apiKey: string): TokenBucket {
    let bucket = this.buckets.get(apiKey);
    if (!bucket) {
      bucket = new TokenBucket({ capacity: this.options.limit, refillPerSecond: this.options.refillPerSecond, clock: this.clock });
      this.buckets.set(apiKey, bucket);
    }
    return bucket;
  }
}

function route(req: SimRequest, deps: WmsApiDeps, apiKey: string): SimResponse {
  const { store } = deps;
  const key = `${req.method} ${req.path}`;
  const idempotencyKey = header(req, 'idempotency-key');
  const idempotent = (handle: () => SimResponse) => deps.idempotency.run(apiKey, req, idempotencyKey, handle);
  switch (key) {
    case 'POST /v1/orders':
      return idempotent(() => createOrderRoute(req, store));
    case 'GET /v1/orders':
      return listOrdersRoute(req, store);
    case 'GET /v1/inventory':
      return listInventoryRoute(req, store);
    case 'GET /v1/inventory/snapshot':
      return deps.snapshots.handle(req);
    case 'POST /v1/inventory/adjustments':
      return idempotent(() => createAdjustmentRoute(req, store));
    case 'POST /v1/asns':
      return idempotent(() => createAsnRoute(req, store));
    case 'GET /v1/asns':
      return listAsnsRoute(req, store);
    case 'POST /v1/webhooks':
      return createWebhookRoute(req, store, deps.webhookSecret);
    case 'GET /v1/webhooks':
      return listWebhooksRoute(store);
  }
  const order = /^(GET|POST) \/v1\/orders\/([A-Za-z0-9_]+)(\/cancel)?$/.exec(key);
  if (order) {
    const [, method, id, cancel] = order;
    if (method === 'GET' && !cancel) return getOrderRoute(id!, store);
    if (method === 'POST' && cancel) return idempotent(() => cancelOrderRoute(id!, store));
  }
  const asn = /^GET \/v1\/asns\/([A-Za-z0-9_]+)$/.exec(key);
  if (asn) return getAsnRoute(asn[1]!, store);
  return wmsError(404, 'not_found', `No route for ${req.method} ${req.path}.`);
}

/** The vendor API: bearer API key, then the key's rate limit, then the route. */
export function handleWmsApi(req: SimRequest, deps: WmsApiDeps, limiter: RateLimiter): SimResponse {
  const authorization = header(req, 'authorization');
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!match)
    return wmsError(401, 'unauthorized', 'Missing API key. Send Authorization: Bearer <key>.', [], { 'www-authenticate': 'Bearer' });
  const apiKey = match[1]!;
  if (!deps.apiKeys.has(apiKey)) return wmsError(401, 'unauthorized', 'Invalid API key.', [], { 'www-authenticate': 'Bearer' });

  const bucket = limiter.bucket(apiKey);
  const limitHeaders = () => ({
    'x-ratelimit-limit': String(deps.rateLimit.limit),
    'x-ratelimit-remaining': String(Math.floor(bucket.available())),
  });
  if (!bucket.tryTake(1)) {
    const retryAfter = Math.max(1, Math.ceil(bucket.msUntil(1) / 1000));
    return wmsError(
      429,
      'rate_limited',
      'Too many requests. Retry after the time given in Retry-After.',
      [{ retry_after_seconds: retryAfter }],
      {
        ...limitHeaders(),
        'retry-after': String(retryAfter),
      },
    );
  }
  const response = route(req, deps, apiKey);
  return { ...response, headers: { ...(response.headers ?? {}), ...limitHeaders() } };
}
