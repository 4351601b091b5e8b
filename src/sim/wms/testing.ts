import { createHmac, timingSafeEqual } from 'node:crypto';
import { request } from 'undici';

/**
 * Test-only: checks `X-WMS-Signature: t=<unix>,v1=<hex>` against the secret. Production verification
 * belongs to the WMS connector.
 */
export function verifyWmsSignature(rawBody: string, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2)));
  const t = parts.t;
  const v1 = parts.v1;
  if (typeof t !== 'string' || typeof v1 !== 'string') return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface WmsReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Calls the simulator over real HTTP, the way a connector would. */
export async function callWms(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  options: { apiKey?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<WmsReply> {
  const res = await request(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.headers ?? {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    headersTimeout: options.timeoutMs ?? 5_000,
    bodyTimeout: options.timeoutMs ?? 5_000,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
