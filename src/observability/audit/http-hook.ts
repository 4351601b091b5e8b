import type { GatewayApp, Principal } from '../../gateway/index.js';
import type { AuditLog } from './audit-log.js';
import { digestOf } from './digest.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set by a route that recorded its change in the audit log itself (in the change's own
     * transaction, with before/after digests); the hook then adds no second entry.
     */
    auditRecorded?: boolean;
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const VERSIONED = /^\/v[0-9]+(\/.*)$/;

/** `partner:acme`, `user:alice`: the principal as an audit actor. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'partner' ? `partner:${principal.partnerId}` : `user:${principal.username}`;
}

/** `orders/SO-1` from `/v1/orders/SO-1?x=1`. */
function resourceOf(path: string): string {
  const bare = path.split('?')[0] ?? '';
  const m = VERSIONED.exec(bare);
  return (m?.[1] ?? bare).replace(/^\/+/, '');
}

/**
 * Records every successful change made through the versioned API (a non-GET request under /vN/
 * answered 2xx): the principal, the route, the resource (the `Location` of a created one) and
 * digests of the request body (in `detail`) and of the response (the after digest). It runs before the response is sent, so a client
 * never sees success for a change that has no audit entry.
 */
export function installAuditHook(app: GatewayApp, audit: AuditLog): void {
  app.decorateRequest('auditRecorded', false);
  app.addHook('onSend', async (request, reply, payload) => {
    if (READS.has(request.method) || !request.principal || request.auditRecorded) return payload;
    if (reply.statusCode < 200 || reply.statusCode >= 300) return payload;
    const path = request.url.split('?')[0] ?? '';
    if (!VERSIONED.test(path)) return payload;
    const location = reply.getHeader('location');
    const resource = typeof location === 'string' && VERSIONED.test(location) ? resourceOf(location) : resourceOf(path);
    const body: unknown = request.body;
    const sent = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : undefined;
    const correlation = request.headers['x-correlation-id'];
    await audit.record({
      actor: actorOf(request.principal),
      action: `${request.method} ${request.routeOptions.url ?? path}`,
      resource,
      ...(sent !== undefined ? { afterDigest: digestOf(sent) } : {}),
      detail: {
        status: reply.statusCode,
        credential: request.principal.credential.split(':').slice(0, 2).join(':'),
        ...(body !== undefined && body !== null ? { requestDigest: digestOf(body) } : {}),
      },
      ...(typeof correlation === 'string' && correlation.length > 0 && correlation.length <= 200 ? { correlationid: correlation } : {}),
    });
    return payload;
  });
}
