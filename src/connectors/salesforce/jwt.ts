import { sign } from 'node:crypto';

export interface JwtBearerClaims {
  /** The connected app's consumer key. */
  iss: string;
  /** The username the integration runs as (pre-authorised for the app). */
  sub: string;
  /** `https://login.salesforce.com`, `https://test.salesforce.com` or the My Domain URL. */
  aud: string;
  /** Expiry, seconds since the epoch; Salesforce accepts at most 3 minutes ahead. */
  exp: number;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An RS256-signed JWT bearer assertion (RFC 7523; Salesforce "OAuth 2.0 JWT Bearer Flow for Server-to-Server
 * Integration"): base64url(header).base64url(claims).base64url(RSA-SHA256 signature) under the app's private key.
 */
export function signJwtAssertion(claims: JwtBearerClaims, privateKeyPem: string): string {
  const signingInput = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), privateKeyPem).toString('base64url');
  return `${signingInput}.${signature}`;
}
