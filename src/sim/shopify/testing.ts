import { createHmac, timingSafeEqual } from 'node:crypto';
import { request } from 'undici';

/**
 * Test-only helpers for the simulator's own tests. Verification in production belongs to the Shopify
 * connector; this exists so the simulator's signatures can be checked independently of it.
 */
export function verifyShopifyHmac(rawBody: string | Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface GqlReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    extensions?: {
      cost: {
        requestedQueryCost: number;
        actualQueryCost: number | null;
        throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
      };
    };
  };
}

/** Posts a GraphQL operation over real HTTP, the way a connector would. */
export async function postGraphql(
  url: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
  timeoutMs = 5_000,
): Promise<GqlReply> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-shopify-access-token': token } : {}) },
    body: JSON.stringify({ query, variables }),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const text = await res.body.text();
  // Parsing edge: the simulator's JSON is trusted to have the reply's shape; tests assert on it.
  const body = (text ? JSON.parse(text) : {}) as GqlReply['body'];
  return { status: res.statusCode, headers: res.headers, body };
}

/** Reads `data.a.b.c` from a reply, failing loudly when the path is missing. */
export function dig(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') throw new Error(`no ${String(key)} in ${JSON.stringify(current)}`);
    current = Reflect.get(current, key);
  }
  return current;
}
