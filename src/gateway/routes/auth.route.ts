import { z } from 'zod';
import { Errors } from '../../kernel/index.js';
import type { Identity } from '../auth/identity.js';
import type { GatewayApp } from '../types.js';

const TokenRequest = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).optional(),
  client_secret: z.string().min(1).optional(),
  scope: z.string().optional(),
});

const LoginRequest = z.strictObject({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) });

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
}

/** POST /oauth/token (RFC 6749 §4.4, form-encoded, client auth by Basic or body) and POST /v1/auth/login (console users). */
export function authRoutes(app: GatewayApp, identity: Identity): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.post('/oauth/token', { config: { public: true } }, async (request, reply) => {
    const parsed = TokenRequest.safeParse(request.body);
    if (!parsed.success) {
      // OAuth's own error shape (RFC 6749 §5.2), which client libraries expect.
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
    }
    const basic = basicCredentials(request.headers.authorization);
    const clientId = basic?.id ?? parsed.data.client_id;
    const secret = basic?.secret ?? parsed.data.client_secret;
    if (!clientId || !secret)
      return reply.code(401).header('www-authenticate', 'Basic realm="crossdock"').send({ error: 'invalid_client' });
    try {
      const token = await identity.issueClientToken(clientId, secret, parsed.data.scope);
      return reply.header('cache-control', 'no-store').send(token);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'CD_ERR_AUTH_INVALID_SCOPE')
        return reply.code(400).send({ error: 'invalid_scope', error_description: (err as Error).message });
      return reply.code(401).header('www-authenticate', 'Basic realm="crossdock"').send({ error: 'invalid_client' });
    }
  });

  app.post('/v1/auth/login', { config: { public: true } }, async (request, reply) => {
    const parsed = LoginRequest.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw Errors.validation(`login ${issue?.path.join('.') || '(body)'}: ${issue?.message}`, {
        path: issue?.path.join('.') ?? '',
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    const session = await identity.login(parsed.data.username, parsed.data.password);
    return reply.header('cache-control', 'no-store').send(session);
  });

  app.get('/v1/auth/me', async (request) => {
    const p = request.principal;
    if (!p) return {};
    return p.kind === 'partner'
      ? { kind: 'partner', partner: p.partnerId, scopes: [...p.scopes].sort() }
      : { kind: 'user', username: p.username, role: p.role, scopes: [...p.scopes].sort() };
  });
}
