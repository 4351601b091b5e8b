import type { Identity, Principal } from './auth/identity.js';
import { AuthErrors, hasScope } from './auth/identity.js';
import { GatewayErrors } from './problem.js';
import type { QuotaService } from './quota.js';
import type { GatewayApp } from './types.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The scope a caller needs; routes without one (and without `public`) need only authentication. */
    scope?: string;
    /** Reachable without credentials (health, docs, login). */
    public?: boolean;
  }
}

export interface SecurityOptions {
  identity: Identity;
  quotas: QuotaService;
  /** The plan of a partner (for its quota); `standard` when unknown. */
  planOf(partnerId: string): Promise<string>;
}

/**
 * Authentication, scopes and quotas for every route under /v1 and /ops: a route declares
 * `config: { scope }` (or `public: true`). Partners are held to their plan's quota, shared by all
 * hub processes; every answer carries the RateLimit fields (draft-ietf-httpapi-ratelimit-headers).
 */
export function installSecurity(app: GatewayApp, options: SecurityOptions): void {
  const plans = new Map<string, { plan: string; until: number }>();
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    const path = request.url.split('?')[0] ?? '';
    if (config.public || !(path.startsWith('/v1/') || path.startsWith('/v2/') || path.startsWith('/ops/'))) return;
    const principal = await options.identity.authenticate(request.headers.authorization);
    if (!principal) throw AuthErrors.unauthenticated('send Authorization: Bearer <API key or access token>');
    request.principal = principal;
    if (config.scope && !hasScope(principal, config.scope)) {
      throw AuthErrors.forbidden(`this route needs the scope ${config.scope}`, { path: 'scope', scope: config.scope });
    }
    if (principal.kind !== 'partner') return;
    const now = Date.now();
    let plan = plans.get(principal.partnerId);
    if (!plan || plan.until < now) {
      plan = { plan: await options.planOf(principal.partnerId), until: now + 60_000 };
      plans.set(principal.partnerId, plan);
    }
    const decision = await options.quotas.take(principal.partnerId, plan.plan);
    reply.header('ratelimit-policy', `"partner";q=${decision.limit};w=${decision.windowSeconds}`);
    reply.header('ratelimit', `"partner";r=${decision.remaining};t=${decision.resetSeconds}`);
    if (!decision.allowed) {
      throw GatewayErrors.quota(
        `quota of ${decision.limit} requests per ${decision.windowSeconds} s used up; try again in ${decision.resetSeconds} s`,
        {
          retryAfterMs: decision.resetSeconds * 1000,
        },
      );
    }
  });
}

/** The partner a request acts for; partner isolation starts here. */
export function partnerOf(principal: Principal | undefined): string {
  if (principal?.kind !== 'partner') throw AuthErrors.forbidden('this route is for partner credentials');
  return principal.partnerId;
}
