export {
  AUDIT_GENESIS,
  type AuditEntry,
  AuditErrors,
  AuditLog,
  type AuditRecord,
  rowHash,
  type VerifyResult,
} from './audit-log.js';
export { canonicalJson, digestOf } from './digest.js';
export { actorOf, installAuditHook } from './http-hook.js';
