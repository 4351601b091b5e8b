import type { GatewayApp } from '../../types.js';
import type { DocumentRouteDeps, TimelineSource } from './documents.http.js';
import { readOnlyDocumentRoutes } from './documents.route.js';
import { orderRoutes } from './orders.route.js';
import type { ApiRoute } from './route-spec.js';
import { submissionRoutes } from './submissions.route.js';

export { type ApiRoute, defineRoute, type RouteDoc } from './route-spec.js';
export type { DocumentRouteDeps, TimelineSource };

/** Every partner document route of /v1 (availability registers its own). */
export function partnerDocumentRoutes(deps: DocumentRouteDeps): ApiRoute[] {
  return [...orderRoutes(deps), ...readOnlyDocumentRoutes(deps), ...submissionRoutes(deps)];
}

/** Registers the partner document routes on the gateway and returns them (for the OpenAPI document). */
export function registerPartnerDocumentRoutes(app: GatewayApp, deps: DocumentRouteDeps): ApiRoute[] {
  const routes = partnerDocumentRoutes(deps);
  for (const route of routes) route.register(app);
  return routes;
}
