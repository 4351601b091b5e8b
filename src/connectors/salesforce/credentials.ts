import { z } from 'zod';
import { type Clock, CrossdockError } from '../../kernel/index.js';
import { type AuthApplier, ConnectorErrors, defineCredentials, type HttpTransport } from '../sdk/index.js';
import { signJwtAssertion } from './jwt.js';
import { DATA_PATH } from './transport.js';

const common = {
  /** Connected app consumer key. */
  clientId: z.string().min(1),
  /** Where tokens are issued: login.salesforce.com, test.salesforce.com (sandboxes) or the My Domain URL. */
  loginUrl: z.url().default('https://login.salesforce.com'),
  /**
   * Session lifetime of the app's policy (Setup → Session Settings, default 2 h). Salesforce's token answer
   * carries no expiry, so the token is renewed this long after issue, or at once on a 401.
   */
  sessionTtlMinutes: z.number().int().positive().default(110),
};

/** OAuth 2.0 client credentials flow: the app's "Run As" user (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm). */
const clientCredentials = z.object({ kind: z.literal('client-credentials'), ...common, clientSecret: z.string().min(1) });

/** OAuth 2.0 JWT bearer flow: an assertion signed with the private key whose certificate is on the connected app. */
const jwtBearer = z.object({
  kind: z.literal('jwt-bearer'),
  ...common,
  username: z.string().min(1),
  privateKeyPem: z.string().includes('PRIVATE KEY'),
  /** The JWT `aud`; defaults to the login URL. */
  audience: z.string().min(1).optional(),
});

export const salesforceCredentialsSchema = z.discriminatedUnion('kind', [clientCredentials, jwtBearer]);
export type SalesforceCredentials = z.output<typeof salesforceCredentialsSchema>;

const tokenSchema = z.object({ access_token: z.string().min(1), instance_url: z.string().optional(), issued_at: z.string().optional() });
const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function tokenForm(credentials: SalesforceCredentials, clock: Clock): URLSearchParams {
  if (credentials.kind === 'client-credentials') {
    return new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
  }
  const assertion = signJwtAssertion(
    {
      iss: credentials.clientId,
      sub: credentials.username,
      aud: credentials.audience ?? credentials.loginUrl,
      exp: Math.floor(clock.now() / 1000) + 180,
    },
    credentials.privateKeyPem,
  );
  return new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion });
}

/**
 * Fetches a bearer token, caches it until the session lifetime ends, and renews it when a call answers 401.
 * Concurrent calls share one token request.
 */
export function salesforceTokenApplier(credentials: SalesforceCredentials, deps: { clock: Clock; tokenHttp: HttpTransport }): AuthApplier {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const url = `${credentials.loginUrl.replace(/\/$/, '')}/services/oauth2/token`;
    let body: unknown;
    try {
      const res = await deps.tokenHttp.request({
        method: 'POST',
        path: url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenForm(credentials, deps.clock).toString(),
        // A token request creates nothing that matters twice.
        idempotent: true,
        operation: 'oauth.token',
      });
      body = res.body;
    } catch (err) {
      // The token endpoint answers every refusal with 400 {error, error_description} (RFC 6749 §5.2).
      if (err instanceof CrossdockError && err.errorClass === 'permanent') {
        const said = tokenErrorSchema.safeParse(err.details.vendorBody);
        const reason = said.success ? `${said.data.error}: ${said.data.error_description ?? ''}` : err.message;
        throw ConnectorErrors.auth(`Salesforce refused the ${credentials.kind} token request (${reason})`, {
          vendorBody: err.details.vendorBody,
        });
      }
      throw err;
    }
    const token = tokenSchema.safeParse(body);
    if (!token.success) throw ConnectorErrors.auth('Salesforce token answer has no access_token', { vendorBody: body });
    cached = { token: token.data.access_token, expiresAt: deps.clock.now() + credentials.sessionTtlMinutes * 60_000 };
    return cached.token;
  }

  function token(): Promise<string> {
    if (cached && cached.expiresAt > deps.clock.now()) return Promise.resolve(cached.token);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return {
    async apply(request) {
      request.headers.authorization = `Bearer ${await token()}`;
    },
    async refresh() {
      cached = undefined;
      await token();
    },
  };
}

export const salesforceCredentials = defineCredentials<SalesforceCredentials>({
  kind: 'salesforce-oauth',
  schema: salesforceCredentialsSchema,
  applier: (credentials, deps) => salesforceTokenApplier(credentials, deps),
  async test(ctx) {
    // `GET /limits` is the cheapest authenticated call and proves the token works on the data API.
    await ctx.http.request({ method: 'GET', path: `${DATA_PATH}/limits`, operation: 'credentials.test' });
  },
});
