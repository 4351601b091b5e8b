export { createGateway, type GatewayOptions, type HubStatus } from './app.js';
export { AuthErrors, Identity, type IdentityOptions, PARTNER_SCOPES, type Principal, ROLE_SCOPES, type Role } from './auth/identity.js';
export { IdempotencyStore, type StoredResponse, stableJson } from './idempotency.js';
export { asCrossdockError, GatewayErrors, installProblemHandler, type Problem, statusFor, toProblem } from './problem.js';
export { DEFAULT_PLANS, type Plan, type QuotaDecision, QuotaService } from './quota.js';
export { installSecurity, partnerOf, type SecurityOptions } from './security.js';
export type { GatewayApp } from './types.js';
