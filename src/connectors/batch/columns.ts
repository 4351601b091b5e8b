import { z } from 'zod';

/** An optional cell: empty means absent. */
export function optionalCell<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
}

/** Units of measure are compared as upper-case codes (canonical `Uom`). */
export function upperCell<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), schema);
}
