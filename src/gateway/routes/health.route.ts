import type { HubStatus } from '../app.js';
import type { GatewayApp } from '../types.js';

/**
 * Liveness and readiness. /health answers while the process runs; /ready answers 200 only when the
 * store answers and the hub is not shutting down, so a load balancer stops sending work first.
 */
export function healthRoutes(app: GatewayApp, status: HubStatus): void {
  app.get('/health', { config: { public: true } }, async () => ({ status: 'ok', version: status.version }));
  app.get('/ready', { config: { public: true } }, async (_request, reply) => {
    const problems = await status.readiness();
    if (problems.length > 0) {
      return reply.code(503).send({ status: 'unavailable', problems });
    }
    return { status: 'ready' };
  });
}
