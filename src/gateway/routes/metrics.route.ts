import type { HubMetrics } from '../../observability/index.js';
import type { GatewayApp } from '../types.js';

export function metricsRoutes(app: GatewayApp, metrics: HubMetrics): void {
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.contentType);
    return metrics.render();
  });
}
