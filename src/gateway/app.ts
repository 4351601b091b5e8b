import Fastify, { LogController } from 'fastify';
import type { Logger } from '../kernel/index.js';
import type { HubMetrics } from '../observability/index.js';
import type { Identity } from './auth/identity.js';
import { installProblemHandler } from './problem.js';
import type { QuotaService } from './quota.js';
import { authRoutes } from './routes/auth.route.js';
import { healthRoutes } from './routes/health.route.js';
import { metricsRoutes } from './routes/metrics.route.js';
import { installSecurity } from './security.js';
import type { GatewayApp } from './types.js';

export interface HubStatus {
  version: string;
  /** Empty when ready; otherwise what keeps the hub from serving. */
  readiness(): Promise<string[]>;
}

export interface GatewayOptions {
  logger: Logger;
  status: HubStatus;
  metrics: HubMetrics;
  /** Largest accepted request body, bytes. */
  bodyLimit?: number;
  /** Partner and console authentication; without it only health, readiness and metrics are served. */
  security?: { identity: Identity; quotas: QuotaService; planOf(partnerId: string): Promise<string> };
}

/** The HTTP face of the hub. Partner API routes (/v1/…) register here as they are built. */
export function createGateway(options: GatewayOptions): GatewayApp {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'gateway' }),
    // Requests are not logged one by one (the metrics count them); errors still are.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    return503OnClosing: true,
  });
  installProblemHandler(app);
  healthRoutes(app, options.status);
  metricsRoutes(app, options.metrics);
  if (options.security) {
    installSecurity(app, options.security);
    authRoutes(app, options.security.identity);
  }
  return app;
}
