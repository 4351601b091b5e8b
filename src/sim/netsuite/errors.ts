import type { SimResponse } from '../kit/http-sim.js';

/**
 * REST web services errors (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html):
 * an RFC 9457-style body with `o:errorDetails[{detail, o:errorCode, o:errorPath?, o:urlPath?, …}]`.
 */
const TYPES: Record<number, [string, string]> = {
  400: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1', 'Bad Request'],
  401: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2', 'Unauthorized'],
  403: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.4', 'Forbidden'],
  404: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5', 'Not Found'],
  405: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.6', 'Method Not Allowed'],
  409: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.10', 'Conflict'],
  415: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.16', 'Unsupported Media Type'],
  429: ['https://www.rfc-editor.org/rfc/rfc6585.html#section-4', 'Too Many Requests'],
  500: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.1', 'Internal Server Error'],
  502: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.3', 'Bad Gateway'],
  503: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.4', 'Service Unavailable'],
  504: ['https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.5', 'Gateway Timeout'],
};

export interface ErrorDetailExtras {
  'o:errorPath'?: string;
  'o:urlPath'?: string;
  'o:errorQueryParam'?: string;
  'o:errorHeader'?: string;
}

export function nsError(status: number, code: string, detail: string, extras: ErrorDetailExtras = {}): SimResponse {
  const [type, title] = TYPES[status] ?? ['https://www.rfc-editor.org/rfc/rfc9110.html', `HTTP ${status}`];
  return {
    status,
    headers: { 'content-type': 'application/vnd.oracle.resource+json; type=error; charset=UTF-8' },
    body: { type, title, status, 'o:errorDetails': [{ detail, 'o:errorCode': code, ...extras }] },
  };
}

export const INVALID_LOGIN_DETAIL =
  'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.';

export function invalidLogin(realm: string): SimResponse {
  const out = nsError(401, 'INVALID_LOGIN', INVALID_LOGIN_DETAIL);
  return {
    ...out,
    headers: {
      ...out.headers,
      'www-authenticate': `OAuth realm="${realm}", error="token_rejected", error_description="Invalid login attempt."`,
    },
  };
}

export const concurrencyExceeded = (): SimResponse =>
  nsError(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.');

export const nonexistentId = (urlPath: string): SimResponse =>
  nsError(404, 'NONEXISTENT_ID', 'The record instance does not exist. Provide a valid record instance ID.', { 'o:urlPath': urlPath });

const FAULT_CODES: Record<number, [string, string]> = {
  400: ['USER_ERROR', 'Error while accessing a resource.'],
  401: ['INVALID_LOGIN', INVALID_LOGIN_DETAIL],
  403: ['INSUFFICIENT_PERMISSION', 'Permission Violation: You do not have permission to access this resource.'],
  404: ['NONEXISTENT_ID', 'The record instance does not exist. Provide a valid record instance ID.'],
  429: ['CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.'],
  500: ['UNEXPECTED_ERROR', 'An unexpected error occurred. Error ID: sim00000000000000000000'],
  503: ['SSS_SERVICE_UNAVAILABLE', 'The service is temporarily unavailable. Try again later.'],
};

/** NetSuite's answer for an armed status fault. */
export function netsuiteFaultResponse(status: number, realm: string): SimResponse {
  if (status === 401) return invalidLogin(realm);
  const [code, detail] = FAULT_CODES[status] ?? ['UNEXPECTED_ERROR', `HTTP ${status}`];
  return nsError(status, code, detail);
}
