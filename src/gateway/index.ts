export { createGateway, type GatewayOptions, type HubStatus } from './app.js';
export { AuthErrors, Identity, type IdentityOptions, PARTNER_SCOPES, type Principal, ROLE_SCOPES, type Role } from './auth/identity.js';
export { IdempotencyStore, type StoredResponse, stableJson } from './idempotency.js';
export { buildOpenApi, extraPaths, type OpenApiDocument, type OpenApiOptions, openApiRoutes, ProblemSchema } from './openapi/index.js';
export { asCrossdockError, GatewayErrors, installProblemHandler, type Problem, statusFor, toProblem } from './problem.js';
export { DEFAULT_PLANS, type Plan, type QuotaDecision, QuotaService } from './quota.js';
export { type OpsRouteDeps, opsRoutes } from './routes/ops/index.js';
export { AVAILABILITY_READ_SCOPE, availabilityRoutes } from './routes/v1/availability.route.js';
export {
  type ApiRoute,
  type DocumentRouteDeps,
  defineRoute,
  partnerDocumentRoutes,
  type RouteDoc,
  registerPartnerDocumentRoutes,
  type TimelineSource,
} from './routes/v1/index.js';
export { installSecurity, partnerOf, type SecurityOptions } from './security.js';
export type { GatewayApp } from './types.js';
export * from './versioning.js';
export * from './webhooks/index.js';
