import { createHash } from 'node:crypto';
import type { SimRequest, SimResponse } from '../kit/http-sim.js';
import { wmsError } from './errors.js';

/**
 * `Idempotency-Key` on POST: the first response for a key is stored and replayed for a retry with the
 * same body (header `Idempotent-Replayed: true`); the same key with a different body is refused.
 * Keys are scoped to the API key, as on most vendor APIs.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, { fingerprint: string; response: SimResponse }>();

  run(apiKey: string, req: SimRequest, key: string | undefined, handle: () => SimResponse): SimResponse {
    if (key === undefined || req.method !== 'POST') return handle();
    const scoped = `${apiKey}\u0000${key}`;
    const fingerprint = createHash('sha256').update(`${req.method} ${req.path}\n`).update(req.rawBody).digest('hex');
    const seen = this.entries.get(scoped);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        return wmsError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request.', [
          { field: 'Idempotency-Key' },
        ]);
      }
      return { ...seen.response, headers: { ...(seen.response.headers ?? {}), 'idempotent-replayed': 'true' } };
    }
    const response = handle();
    // Only outcomes are remembered; a 5xx or 429 may be retried with the same key.
    if (response.status < 500 && response.status !== 429) this.entries.set(scoped, { fingerprint, response });
    return response;
  }
}
