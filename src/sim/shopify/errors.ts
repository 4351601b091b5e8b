import type { SimResponse } from '../kit/http-sim.js';
import { INVALID_TOKEN_BODY } from './graphql.route.js';

/**
 * Bodies Shopify's Admin API sends with non-200 statuses (https://shopify.dev/docs/api/usage/response-codes):
 * a top-level `errors` string. A 429 also carries Retry-After (added by the fault layer when armed).
 */
const BODIES: Record<number, unknown> = {
  401: INVALID_TOKEN_BODY,
  402: { errors: 'Unavailable Shop' },
  403: { errors: 'Forbidden' },
  404: { errors: 'Not Found' },
  423: { errors: 'Locked' },
  429: { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
  500: { errors: 'Internal Server Error' },
  502: { errors: 'Bad Gateway' },
  503: { errors: 'Service Unavailable' },
  504: { errors: 'Gateway Timeout' },
};

export function shopifyErrorResponse(status: number): SimResponse {
  return { status, body: BODIES[status] ?? { errors: `HTTP ${status}` } };
}
