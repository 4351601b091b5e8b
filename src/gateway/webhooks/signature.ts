import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'crossdock-signature';
/** How far a receiver lets a signature's timestamp stray from its clock before it refuses it (a replay). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The HMAC-SHA256 (hex) of `<timestamp>.<body>` under the subscription's secret. */
export function computeSignature(secret: string, timestampSeconds: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/**
 * The signature header value for a body sent at `timestampSeconds`. While a secret is being rotated
 * both secrets sign, giving two `v1=` entries; a receiver accepts either.
 */
export function signatureHeader(secrets: readonly string[], timestampSeconds: number, body: string | Buffer): string {
  return [`t=${timestampSeconds}`, ...secrets.map((s) => `v1=${computeSignature(s, timestampSeconds, body)}`)].join(',');
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * What a receiver does with a delivery: parse the header, refuse a timestamp outside the tolerance
 * (a replayed request), recompute the HMAC over the raw body and compare in constant time.
 */
export function verifySignature(options: {
  secret: string;
  header: string | undefined;
  body: string | Buffer;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  if (!options.header) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const given: string[] = [];
  for (const part of options.header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) timestamp = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)) given.push(v);
  }
  if (timestamp === undefined || given.length === 0) return { ok: false, reason: 'malformed' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(computeSignature(options.secret, timestamp, options.body), 'hex');
  const match = given.some((g) => {
    const b = Buffer.from(g, 'hex');
    return b.length === expected.length && timingSafeEqual(b, expected);
  });
  return match ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
