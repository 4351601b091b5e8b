import type { GatewayApp } from '../../types.js';
import { dashboardRoute } from './dashboard.route.js';
import { deadLetterRoutes } from './dead-letters.route.js';
import type { OpsRouteDeps } from './deps.js';
import { exceptionRoutes } from './exceptions.route.js';
import { healthRoutes } from './health.route.js';
import { opsScope } from './parse.js';
import { timelineRoutes } from './timelines.route.js';

export type { OpsRouteDeps } from './deps.js';

/**
 * The operations console's JSON API under /ops (docs/ops-api.md). Console users log in at
 * POST /v1/auth/login; each route needs a scope their role grants (viewer reads, operator acts).
 */
export function opsRoutes(app: GatewayApp, deps: OpsRouteDeps): void {
  opsScope(app, (scope) => {
    scope.get('/ops/session', async (request) => {
      const p = request.principal;
      if (p?.kind !== 'user') return { kind: p?.kind ?? 'anonymous', scopes: p ? [...p.scopes].sort() : [] };
      return { kind: 'user', username: p.username, role: p.role, scopes: [...p.scopes].sort() };
    });
    dashboardRoute(scope, deps);
    timelineRoutes(scope, deps);
    exceptionRoutes(scope, deps);
    deadLetterRoutes(scope, deps);
    healthRoutes(scope, deps);
  });
}
