import { createHash } from 'node:crypto';
import { type Clock, systemClock } from '../kernel/index.js';
import type { Store, Tx } from '../store/index.js';
import { GatewayErrors } from './problem.js';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** JSON with object keys sorted, so two equal bodies hash the same whatever their key order. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + stableJson(value[i]);
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] ?? '';
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${stableJson(Reflect.get(value, k))}`;
  }
  return `${out}}`;
}

const RETENTION_MS = 24 * 3600_000;

// Raw statements (ADR 3): this runs on every partner POST, and building the queries cost more than running them.
const CLAIM =
  "INSERT INTO gw_idempotency (partner_id, key, method, path, body_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, 0, '{}', ?) ON CONFLICT (partner_id, key) DO NOTHING";
const READ = 'SELECT method, path, body_hash, status, response, created_at FROM gw_idempotency WHERE partner_id = ? AND key = ?';
const FORGET = 'DELETE FROM gw_idempotency WHERE partner_id = ? AND key = ?';
const SAVE = 'UPDATE gw_idempotency SET status = ?, response = ? WHERE partner_id = ? AND key = ?';

interface IdempotencyRow {
  method: string;
  path: string;
  body_hash: string;
  status: number;
  response: string;
  created_at: number;
}

/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header): the first request's
 * response is kept for 24 hours, in the same transaction as the request's own writes. The same key
 * with the same body replays that response (`Idempotent-Replayed: true`); with another body or path
 * it is refused with 422. A request that failed leaves nothing behind, so it can be retried.
 */
export class IdempotencyStore {
  private readonly clock: Clock;
  constructor(
    private readonly store: Store,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async run(
    scope: { partnerId: string; key: string | undefined; method: string; path: string; body: unknown },
    handler: (tx: Tx) => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    const { key } = scope;
    if (key === undefined) return { ...(await this.store.transaction(handler)), replayed: false };
    if (key.length === 0 || key.length > 255)
      throw GatewayErrors.malformed('Idempotency-Key must be 1 to 255 characters', { path: 'Idempotency-Key' });
    const bodyHash = createHash('sha256').update(stableJson(scope.body)).digest('hex');
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const params = [scope.partnerId, key];
      let inserted = await tx.run(CLAIM, [scope.partnerId, key, scope.method, scope.path, bodyHash, now]);
      if (inserted === 0) {
        const first = (await tx.all<IdempotencyRow>(READ, params))[0];
        if (first === undefined || first.created_at < now - RETENTION_MS) {
          // The key's last use is past its 24 hours (it is pruned lazily): a new request under it.
          await tx.run(FORGET, params);
          inserted = await tx.run(CLAIM, [scope.partnerId, key, scope.method, scope.path, bodyHash, now]);
        } else {
          if (first.body_hash !== bodyHash || first.path !== scope.path || first.method !== scope.method) {
            throw GatewayErrors.idempotencyReused(`Idempotency-Key "${key}" was first used for a different request`, {
              path: 'Idempotency-Key',
            });
          }
          if (first.status === 0)
            throw GatewayErrors.idempotencyInFlight(`the request with Idempotency-Key "${key}" is still being processed`, {
              retryAfterMs: 1000,
            });
          const saved = JSON.parse(first.response) as { body: unknown; headers: Record<string, string> };
          return { status: first.status, body: saved.body, headers: saved.headers, replayed: true };
        }
      }
      const response = await handler(tx);
      await tx.run(SAVE, [response.status, JSON.stringify({ body: response.body, headers: response.headers }), scope.partnerId, key]);
      return { ...response, replayed: false };
    });
  }

  /** Deletes responses past their 24 hours. */
  async prune(): Promise<number> {
    const r = await this.store.db
      .deleteFrom('gw_idempotency')
      .where('created_at', '<', this.clock.now() - RETENTION_MS)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
