import type { z } from 'zod';
import type { SimRequest, SimResponse } from '../kit/http-sim.js';
import { validationError, wmsError } from './errors.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: SimResponse };

/** Parses a JSON request body against a schema: 400 `invalid_json` or 422 `validation_failed`. */
export function readBody<S extends z.ZodType>(req: SimRequest, schema: S): Parsed<z.infer<S>> {
  let json: unknown;
  try {
    json = req.rawBody.length === 0 ? {} : JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return { ok: false, response: wmsError(400, 'invalid_json', 'The request body is not valid JSON.') };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: validationError(parsed.error) };
}
