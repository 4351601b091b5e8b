import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InventoryPosition, Item, PriceEntry } from '../../canonical/index.js';

/** What one CSV row becomes: a canonical object (or, for prices, one entry of a price list). */
export type BatchRecord =
  | { kind: 'item'; item: Item }
  | { kind: 'price'; priceList: string; currency: string; entry: PriceEntry }
  | { kind: 'inventory'; position: InventoryPosition };

export const BatchLoadTypeNames = z.enum(['item', 'price', 'inventory']);
export type BatchLoadTypeName = z.infer<typeof BatchLoadTypeNames>;

export interface MapContext {
  /** The `refs`/`ext` key of the source, e.g. `erp-export`. */
  system: string;
  /** When the load started (RFC 3339); the default `asOf` of inventory positions. */
  loadTime: string;
}

export type RowOutcome = { ok: true; record: BatchRecord } | { ok: false; field: string | null; code: string; message: string };

/** A kind of batch file: its columns and how a row maps to canonical. */
export interface BatchLoadType {
  name: BatchLoadTypeName;
  /** Columns a file must have (after header normalisation). */
  required: readonly string[];
  /** Columns the mapping reads; any other column is kept under `ext[system]`. */
  columns: readonly string[];
  map(cells: Readonly<Record<string, string>>, extra: Readonly<Record<string, string>>, ctx: MapContext): RowOutcome;
}

export function defineLoadType(spec: BatchLoadType): BatchLoadType {
  return spec;
}

/** Header cell -> column name: trimmed, lower case, spaces and dashes as underscores. */
export function normalizeColumn(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * A deterministic id for an object keyed by business fields, so loading the same file twice yields
 * the same ids (downstream upserts, not duplicates). Masterdata may bind it to an existing object.
 */
export function stableId(kind: string, ...key: string[]): string {
  return `${kind}.${createHash('sha256').update(key.join('\u0000')).digest('hex').slice(0, 24)}`;
}

/** Validates with a zod schema; the first issue names the column (or the canonical path). */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  columnOf: (path: readonly PropertyKey[]) => string | null,
): { ok: true; value: z.output<S> } | { ok: false; field: string | null; code: string; message: string } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  if (!issue) return { ok: false, field: null, code: 'invalid', message: 'invalid row' };
  return { ok: false, field: columnOf(issue.path), code: issue.code, message: issue.message };
}

/** The row-schema column an issue points at (row schemas are flat: the first path element). */
export function rowColumn(path: readonly PropertyKey[]): string | null {
  const first = path[0];
  return typeof first === 'string' ? first : null;
}
