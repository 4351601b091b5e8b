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
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const RETENTION_MS = 24 * 3600_000;

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
      await tx.db
        .deleteFrom('gw_idempotency')
        .where('partner_id', '=', scope.partnerId)
        .where('key', '=', key)
        .where('created_at', '<', now - RETENTION_MS)
        .execute();
      const inserted = await tx.db
        .insertInto('gw_idempotency')
        .values({
          partner_id: scope.partnerId,
          key,
          method: scope.method,
          path: scope.path,
          body_hash: bodyHash,
          status: 0,
          response: '{}',
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['partner_id', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
        const first = await tx.db
          .selectFrom('gw_idempotency')
          .selectAll()
          .where('partner_id', '=', scope.partnerId)
          .where('key', '=', key)
          .executeTakeFirstOrThrow();
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
      const response = await handler(tx);
      await tx.db
        .updateTable('gw_idempotency')
        .set({ status: response.status, response: JSON.stringify({ body: response.body, headers: response.headers }) })
        .where('partner_id', '=', scope.partnerId)
        .where('key', '=', key)
        .execute();
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
