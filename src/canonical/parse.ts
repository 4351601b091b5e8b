import type { z } from 'zod';
import { Errors } from '../kernel/index.js';
import { CanonicalErrors } from './errors.js';
import { type CanonicalObject, type CanonicalSchemaId, canonicalSchemaIds, canonicalSchemaMap, isCanonicalSchemaId } from './registry.js';

export interface ValidationIssue {
  /** Dotted path of the bad field, e.g. `lines.2.quantity.value`; empty for the document itself. */
  path: string;
  message: string;
  code: string;
}

export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Zod issues as plain, JSON-serialisable records (they go into error details and problem+json). */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: issuePath(i.path), message: i.message, code: i.code }));
}

/**
 * Parses `data` as the canonical object `schemaId`, filling defaults. On bad data throws the kernel's
 * `CD_ERR_VALIDATION` (permanent) with `details.path` naming the first bad field and `details.issues`
 * listing them all; an unknown schema id throws `CD_ERR_UNKNOWN_SCHEMA`.
 */
export function parseCanonical<K extends CanonicalSchemaId>(schemaId: K, data: unknown): CanonicalObject<K>;
export function parseCanonical(schemaId: string, data: unknown): unknown;
export function parseCanonical(schemaId: string, data: unknown): unknown {
  if (!isCanonicalSchemaId(schemaId)) {
    throw CanonicalErrors.unknownSchema(`unknown canonical schema ${schemaId}`, { schemaId, known: [...canonicalSchemaIds] });
  }
  const result = canonicalSchemaMap[schemaId].safeParse(data);
  if (result.success) return result.data;
  const issues = toValidationIssues(result.error);
  const first = issues[0];
  const path = first?.path ?? '';
  throw Errors.validation(`${schemaId} ${path || '(root)'}: ${first?.message ?? 'invalid'}`, { path, schemaId, issues });
}
