import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Short-lived access tokens (RFC 7519) signed HS256 with the hub's own key: the hub both issues and
 * checks them, so a shared secret is enough. Claims: sub (partner or user), scope, role, exp, iat, jti.
 */
export const TokenClaims = z.object({
  iss: z.literal('crossdock'),
  sub: z.string().min(1),
  kind: z.enum(['partner', 'user']),
  scope: z.string().default(''),
  role: z.enum(['admin', 'operator', 'viewer']).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().min(1),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function signJwt(claims: TokenClaims, key: Buffer): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', key).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}

/** The claims of a valid, unexpired token; undefined for anything else (never throws on bad input). */
export function verifyJwt(token: string, key: Buffer, nowSeconds: number): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  if (header !== HEADER) return undefined;
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const claims = TokenClaims.safeParse(decoded);
  if (!claims.success || claims.data.exp <= nowSeconds) return undefined;
  return claims.data;
}
