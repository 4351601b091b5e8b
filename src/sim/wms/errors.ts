import type { z } from 'zod';
import type { SimResponse } from '../kit/http-sim.js';

/** Every error of the WMS API has this one shape: `{ "error": { "code", "message", "details": [] } }`. */
export function wmsError(
  status: number,
  code: string,
  message: string,
  details: unknown[] = [],
  headers?: Record<string, string>,
): SimResponse {
  return { status, body: { error: { code, message, details } }, ...(headers ? { headers } : {}) };
}

const FAULT_CODES: Record<number, [string, string]> = {
  400: ['bad_request', 'The request could not be processed.'],
  401: ['unauthorized', 'Invalid API key.'],
  403: ['forbidden', 'This API key may not perform this operation.'],
  404: ['not_found', 'Resource not found.'],
  409: ['conflict', 'The request conflicts with the current state.'],
  429: ['rate_limited', 'Too many requests. Retry after the time given in Retry-After.'],
  500: ['internal_error', 'An unexpected error occurred. Please retry.'],
  502: ['bad_gateway', 'Upstream service unavailable. Please retry.'],
  503: ['service_unavailable', 'The service is temporarily unavailable. Please retry.'],
  504: ['gateway_timeout', 'The request timed out upstream. Please retry.'],
};

export function wmsFaultResponse(status: number): SimResponse {
  const [code, message] = FAULT_CODES[status] ?? ['error', `HTTP ${status}`];
  return wmsError(status, code, message);
}

/** A zod failure as a 422 naming each bad field, e.g. `lines[0].quantity`. */
export function validationError(error: z.ZodError): SimResponse {
  const details = error.issues.map((issue) => ({
    field: issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join(''),
    issue: issue.message,
  }));
  return wmsError(422, 'validation_failed', 'The request body failed validation.', details);
}
