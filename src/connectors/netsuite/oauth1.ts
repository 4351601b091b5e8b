import { createHmac } from 'node:crypto';
import { randomHex } from '../../kernel/index.js';

/** RFC 3986 unreserved-only percent-encoding, as OAuth 1.0a requires (RFC 5849 §3.6). */
export function oauthEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The signature base string (RFC 5849 §3.4.1): METHOD & enc(base string URI) & enc(normalised parameters).
 * The base URI is scheme://host[:non-default port]/path in lower-case scheme and host; the parameters
 * are the query's, any form-encoded body's, and the oauth_* protocol parameters (never realm or
 * oauth_signature), each encoded, then sorted by name and value.
 */
export function signatureBaseString(
  method: string,
  url: URL,
  oauthParams: Readonly<Record<string, string>>,
  formParams: URLSearchParams = new URLSearchParams(),
): string {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of url.searchParams) pairs.push([oauthEncode(k), oauthEncode(v)]);
  for (const [k, v] of formParams) pairs.push([oauthEncode(k), oauthEncode(v)]);
  for (const [k, v] of Object.entries(oauthParams))
    if (k !== 'realm' && k !== 'oauth_signature') pairs.push([oauthEncode(k), oauthEncode(v)]);
  pairs.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  const normalised = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  // URL.host drops the scheme's default port, as §3.4.1.2 asks.
  const baseUri = `${url.protocol.toLowerCase()}//${url.host.toLowerCase()}${url.pathname}`;
  return `${method.toUpperCase()}&${oauthEncode(baseUri)}&${oauthEncode(normalised)}`;
}

/** HMAC-SHA256 under `enc(consumerSecret)&enc(tokenSecret)`, base64 (RFC 5849 §3.4.2 with SHA-256). */
export function hmacSha256Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac('sha256', `${oauthEncode(consumerSecret)}&${oauthEncode(tokenSecret)}`)
    .update(baseString)
    .digest('base64');
}

/** A fresh nonce: 32 hex characters from the CSPRNG (NetSuite accepts 6–64 characters, each usable once). */
export function newNonce(): string {
  return randomHex(16);
}

export interface TbaKeys {
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

/** The `Authorization: OAuth …` header for one request (NetSuite token-based authentication). */
export function tbaAuthorization(keys: TbaKeys, method: string, url: URL, nowMs: number, nonce: string = newNonce()): string {
  const params: Record<string, string> = {
    oauth_consumer_key: keys.consumerKey,
    oauth_token: keys.tokenId,
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(Math.floor(nowMs / 1000)),
    oauth_nonce: nonce,
    oauth_version: '1.0',
  };
  const signature = hmacSha256Signature(signatureBaseString(method, url, params), keys.consumerSecret, keys.tokenSecret);
  const fields = [
    `realm="${oauthEncode(keys.accountId)}"`,
    ...Object.entries({ ...params, oauth_signature: signature }).map(([k, v]) => `${k}="${oauthEncode(v)}"`),
  ];
  return `OAuth ${fields.join(', ')}`;
}
