import { createHmac, type KeyObject, verify } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../kernel/index.js';
import type { SimRequest, SimResponse } from '../kit/http-sim.js';
import { randomChars } from './ids.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Users the connected app is pre-authorised for (the JWT `sub`). */
  usernames: readonly string[];
  /** Verifies RS256 assertions: the certificate uploaded to the connected app. */
  jwtPublicKey?: KeyObject | string;
  /** The JWT `aud` Salesforce expects: https://login.salesforce.com, https://test.salesforce.com or the My Domain URL. */
  audience: string;
  orgId: string;
  tokenTtlMs: number;
}

export interface IssuedToken {
  readonly token: string;
  readonly username: string;
  readonly issuedAt: number;
  expiresAt: number;
}

/** OAuth error bodies are the RFC 6749 shape, always 400 on the token endpoint. */
const oauthError = (error: string, description: string): SimResponse => ({ status: 400, body: { error, error_description: description } });

const claimsSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
});

const b64url = (s: string): Buffer => Buffer.from(s, 'base64url');

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * `POST /services/oauth2/token` for the client credentials and JWT bearer flows
 * (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm).
 */
export class SalesforceOAuth {
  readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly config: OAuthConfig,
    private readonly clock: Clock,
    private readonly instanceUrl: () => string,
  ) {}

  handle(req: SimRequest): SimResponse {
    if (req.method !== 'POST') return oauthError('invalid_request', 'must use HTTP POST');
    const form = new URLSearchParams(req.rawBody.toString('utf8'));
    for (const [k, v] of req.query) if (!form.has(k)) form.set(k, v);
    const grant = form.get('grant_type');
    if (grant === 'client_credentials') return this.clientCredentials(form);
    if (grant === JWT_BEARER_GRANT) return this.jwtBearer(form.get('assertion') ?? '');
    if (grant === null) return oauthError('invalid_request', 'grant type not specified');
    return oauthError('unsupported_grant_type', 'grant type not supported');
  }

  /** The session behind a bearer token, or undefined when it is unknown or expired. */
  session(authorization: string | undefined): IssuedToken | undefined {
    const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(authorization ?? '');
    const issued = match?.[1] === undefined ? undefined : this.tokens.get(match[1]);
    if (!issued || issued.expiresAt <= this.clock.now()) return undefined;
    return issued;
  }

  expireAll(): void {
    const now = this.clock.now();
    for (const t of this.tokens.values()) t.expiresAt = now;
  }

  private clientCredentials(form: URLSearchParams): SimResponse {
    if (form.get('client_id') !== this.config.clientId || form.get('client_secret') !== this.config.clientSecret) {
      return oauthError('invalid_client', 'invalid client credentials');
    }
    const runAs = this.config.usernames[0];
    if (runAs === undefined) return oauthError('invalid_grant', 'no client credentials user enabled');
    return this.issue(runAs);
  }

  private jwtBearer(assertion: string): SimResponse {
    const parts = assertion.split('.');
    const [h, p, s] = parts;
    if (parts.length !== 3 || h === undefined || p === undefined || s === undefined)
      return oauthError('invalid_grant', 'invalid assertion');
    const header = z.object({ alg: z.string() }).safeParse(parseJson(b64url(h)));
    const claims = claimsSchema.safeParse(parseJson(b64url(p)));
    if (!header.success || header.data.alg !== 'RS256' || !claims.success) return oauthError('invalid_grant', 'invalid assertion');
    const key = this.config.jwtPublicKey;
    if (key === undefined || !verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, b64url(s)))
      return oauthError('invalid_grant', 'invalid assertion');
    const { iss, sub, aud, exp } = claims.data;
    if (iss !== this.config.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(this.config.audience)) return oauthError('invalid_grant', 'audience is invalid');
    if (exp * 1000 <= this.clock.now()) return oauthError('invalid_grant', 'expired authorization code');
    if (!this.config.usernames.includes(sub)) return oauthError('invalid_grant', "user hasn't approved this consumer");
    return this.issue(sub);
  }

  private issue(username: string): SimResponse {
    const issuedAt = this.clock.now();
    const token = `${this.config.orgId}!${randomChars(96)}`;
    this.tokens.set(token, { token, username, issuedAt, expiresAt: issuedAt + this.config.tokenTtlMs });
    const userIndex = this.config.usernames.indexOf(username);
    const id = `${this.config.audience}/id/${this.config.orgId}/005${String(userIndex + 1).padStart(12, '0')}`;
    // signature: base64 HMAC-SHA256 over id + issued_at keyed with the client secret, so a client can check the response.
    const signature = createHmac('sha256', this.config.clientSecret)
      .update(id + String(issuedAt))
      .digest('base64');
    return {
      status: 200,
      headers: { 'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private' },
      body: {
        access_token: token,
        signature,
        scope: 'api',
        instance_url: this.instanceUrl(),
        id,
        token_type: 'Bearer',
        issued_at: String(issuedAt),
      },
    };
  }
}
