import type { FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { type Clock, defineError, systemClock } from '../kernel/index.js';
import { toProblem } from './problem.js';
import type { GatewayApp } from './types.js';

export const VersionErrors = {
  retired: defineError('CD_ERR_API_VERSION_RETIRED', { class: 'permanent', title: 'This API version has been retired' }),
} as const;

/** The life of one API version (`v1`): when it was deprecated, when it goes away, what replaces it. */
export interface ApiVersionPolicy {
  version: string;
  /** When the version was (or will be) deprecated, epoch ms. Sends `Deprecation` (RFC 9745). */
  deprecatedAt?: number;
  /** When it stops being served, epoch ms. Sends `Sunset` (RFC 8594); afterwards requests get 410. */
  sunsetAt?: number;
  /** A page explaining the deprecation and how to migrate (`Link: <…>; rel="deprecation"`). */
  link?: string;
  /** The version that replaces it (`Link: </v2/…>; rel="successor-version"`). */
  successor?: string;
}

const VERSION_PREFIX = /^\/(v[0-9]+)(\/.*)?$/;

/** RFC 9745 §2.1: a Structured Field Date, `@` and whole seconds since the epoch. */
export function deprecationHeader(at: number): string {
  return `@${Math.floor(at / 1000)}`;
}

/** RFC 8594 §3: an HTTP-date (IMF-fixdate), e.g. `Sun, 01 Nov 2026 00:00:00 GMT`. */
export function sunsetHeader(at: number): string {
  return new Date(at).toUTCString();
}

/**
 * Announces the deprecation of API versions on every response under their prefix: `Deprecation`
 * once the deprecation date is set (a future date announces it ahead, as RFC 9745 allows),
 * `Sunset`, and `Link` to the migration guide and the successor version. Once the sunset has
 * passed, the version answers 410 Gone (problem+json) while its successor keeps serving.
 */
export function installVersioning(app: GatewayApp, policies: readonly ApiVersionPolicy[], options: { clock?: Clock } = {}): void {
  const clock = options.clock ?? systemClock;
  const byVersion = new Map(policies.map((p) => [p.version, p]));
  const policyOf = (url: string): { policy: ApiVersionPolicy; rest: string } | undefined => {
    const m = VERSION_PREFIX.exec(url.split('?')[0] ?? '');
    const policy = m?.[1] ? byVersion.get(m[1]) : undefined;
    return policy ? { policy, rest: m?.[2] ?? '' } : undefined;
  };
  app.addHook('onRequest', async (request, reply) => {
    const found = policyOf(request.url);
    if (found?.policy.sunsetAt !== undefined && clock.now() >= found.policy.sunsetAt) {
      const successor = found.policy.successor ? `; use /${found.policy.successor}${found.rest}` : '';
      const err = VersionErrors.retired(`API ${found.policy.version} was retired on ${sunsetHeader(found.policy.sunsetAt)}${successor}`);
      // 410 Gone (RFC 8594 §1 suggests it for a resource past its sunset).
      return reply
        .code(410)
        .type('application/problem+json')
        .send({ ...toProblem(err, request.url), status: 410 });
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const found = policyOf(request.url);
    if (!found) return payload;
    const { policy, rest } = found;
    if (policy.deprecatedAt !== undefined) reply.header('deprecation', deprecationHeader(policy.deprecatedAt));
    if (policy.sunsetAt !== undefined) reply.header('sunset', sunsetHeader(policy.sunsetAt));
    const links: string[] = [];
    if (policy.link) links.push(`<${policy.link}>; rel="deprecation"; type="text/html"`);
    if (policy.successor) links.push(`</${policy.successor}${rest}>; rel="successor-version"`);
    if (links.length > 0) {
      const existing = reply.getHeader('link');
      reply.header('link', [...(typeof existing === 'string' && existing ? [existing] : []), ...links].join(', '));
    }
    return payload;
  });
}

/** How one version differs from the current representation. */
export interface VersionAdapter<Current> {
  /** Turns this version's request body into the current one. */
  request?: (body: unknown) => unknown;
  /** Turns the current response into this version's. */
  response?: (current: Current) => unknown;
}

/**
 * One route served under several versions at once: the handler speaks the current representation
 * and each version's adapter translates its requests up and its responses down. `path` is
 * without the version (`/orders/:id`); it is registered as `/v1/orders/:id`, `/v2/orders/:id`, ….
 */
export function versionedRoute<Current>(
  app: GatewayApp,
  spec: {
    method: HTTPMethods;
    path: string;
    config?: { scope?: string; public?: boolean };
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<Current>;
    versions: Record<string, VersionAdapter<Current>>;
  },
): void {
  for (const [version, adapter] of Object.entries(spec.versions)) {
    if (!/^v[0-9]+$/.test(version)) throw new Error(`API version ${version} must look like v1`);
    app.route({
      method: spec.method,
      url: `/${version}${spec.path}`,
      config: { ...spec.config },
      handler: async (request, reply) => {
        if (adapter.request && request.body !== undefined) request.body = adapter.request(request.body);
        const current = await spec.handler(request, reply);
        return adapter.response ? adapter.response(current) : current;
      },
    });
  }
}
