import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../kernel/index.js';
import { header, type SimRequest } from '../kit/http-sim.js';

export interface TbaCredentials {
  /** The realm: account id, e.g. `1234567_SB1`. */
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

/** Why a request was refused, as the Login Audit Trail's Detail column would say. */
export type TbaRejection =
  | 'MissingAuthorization'
  | 'InvalidRealm'
  | 'UnsupportedSignatureMethod'
  | 'InvalidConsumerKey'
  | 'InvalidToken'
  | 'InvalidTimestamp'
  | 'InvalidNonce'
  | 'InvalidSignature';

/** RFC 3986 percent-encoding, as OAuth 1.0a (RFC 5849 §3.6) requires. */
export function oauthEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parses `Authorization: OAuth k="v", …`; values are percent-decoded. */
export function parseOAuthHeader(value: string | undefined): Map<string, string> | undefined {
  const match = /^OAuth\s+(.*)$/is.exec(value ?? '');
  if (!match?.[1]) return undefined;
  const params = new Map<string, string>();
  for (const part of match[1].matchAll(/([A-Za-z0-9_]+)="([^"]*)"/g)) {
    const [, key, raw] = part;
    if (key === undefined || raw === undefined) continue;
    try {
      params.set(key, decodeURIComponent(raw));
    } catch {
      return undefined;
    }
  }
  return params;
}

/**
 * The RFC 5849 §3.4.1 signature base string: METHOD & enc(base URL without query) & enc(sorted params),
 * where params are the query parameters plus every oauth_* header parameter except realm and signature.
 */
export function signatureBaseString(method: string, baseUrl: string, query: URLSearchParams, oauth: Map<string, string>): string {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of query) pairs.push([oauthEncode(k), oauthEncode(v)]);
  for (const [k, v] of oauth) if (k !== 'realm' && k !== 'oauth_signature') pairs.push([oauthEncode(k), oauthEncode(v)]);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const normalized = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  return [method.toUpperCase(), oauthEncode(baseUrl), oauthEncode(normalized)].join('&');
}

export interface TbaVerifierOptions {
  credentials: TbaCredentials;
  clock: Clock;
  /** Largest accepted distance between oauth_timestamp and the server clock. */
  maxSkewSeconds: number;
}

/**
 * Token-based authentication as NetSuite checks it
 * (NetSuite help, "Token-based Authentication" and RFC 5849 §3.4):
 * HMAC-SHA256 with key `consumerSecret&tokenSecret`, each nonce usable once, timestamp near now.
 */
export class TbaVerifier {
  private readonly seenNonces = new Map<string, number>();

  constructor(private readonly options: TbaVerifierOptions) {}

  verify(req: SimRequest): { ok: true } | { ok: false; reason: TbaRejection } {
    const { credentials, clock, maxSkewSeconds } = this.options;
    const oauth = parseOAuthHeader(header(req, 'authorization'));
    if (!oauth) return { ok: false, reason: 'MissingAuthorization' };
    if (oauth.get('realm') !== credentials.accountId) return { ok: false, reason: 'InvalidRealm' };
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA256') return { ok: false, reason: 'UnsupportedSignatureMethod' };
    if (oauth.get('oauth_consumer_key') !== credentials.consumerKey) return { ok: false, reason: 'InvalidConsumerKey' };
    if (oauth.get('oauth_token') !== credentials.tokenId) return { ok: false, reason: 'InvalidToken' };
    const timestamp = Number(oauth.get('oauth_timestamp'));
    const nowSeconds = Math.floor(clock.now() / 1000);
    if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > maxSkewSeconds) return { ok: false, reason: 'InvalidTimestamp' };
    const nonce = oauth.get('oauth_nonce') ?? '';
    if (nonce.length < 6 || nonce.length > 64) return { ok: false, reason: 'InvalidNonce' };

    const host = header(req, 'host') ?? 'localhost';
    const base = signatureBaseString(req.method, `http://${host.toLowerCase()}${req.path}`, req.query, oauth);
    const key = `${oauthEncode(credentials.consumerSecret)}&${oauthEncode(credentials.tokenSecret)}`;
    const expected = createHmac('sha256', key).update(base).digest();
    const given = Buffer.from(oauth.get('oauth_signature') ?? '', 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'InvalidSignature' };

    // A nonce is burnt only by a correctly signed request, so a forged request cannot block a real one.
    this.forgetOld(nowSeconds);
    const nonceKey = `${credentials.tokenId}:${nonce}`;
    if (this.seenNonces.has(nonceKey)) return { ok: false, reason: 'InvalidNonce' };
    this.seenNonces.set(nonceKey, timestamp);
    return { ok: true };
  }

  private forgetOld(nowSeconds: number): void {
    for (const [key, ts] of this.seenNonces) if (nowSeconds - ts > this.options.maxSkewSeconds * 2) this.seenNonces.delete(key);
  }
}
