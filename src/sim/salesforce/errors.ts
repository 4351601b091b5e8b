import type { SimResponse } from '../kit/http-sim.js';

/**
 * REST API errors are an array of `{message, errorCode, fields?}`
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm).
 */
export interface SalesforceError {
  message: string;
  errorCode: string;
  fields?: string[];
}

export function sfError(status: number, errorCode: string, message: string, fields?: string[]): SimResponse {
  const error: SalesforceError = fields === undefined ? { message, errorCode } : { message, errorCode, fields };
  return { status, body: [error] };
}

export const invalidSession = (): SimResponse => ({
  ...sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
  headers: { 'www-authenticate': 'Token' },
});

export const requestLimitExceeded = (): SimResponse => sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

const FAULT_BODIES: Record<number, [string, string]> = {
  400: ['JSON_PARSER_ERROR', 'The request body could not be parsed.'],
  401: ['INVALID_SESSION_ID', 'Session expired or invalid'],
  403: ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'],
  404: ['NOT_FOUND', 'The requested resource does not exist'],
  409: ['CONFLICT', 'Conflict'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Content type not supported'],
  420: ['REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'],
  429: ['REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'],
  500: [
    'UNKNOWN_EXCEPTION',
    'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-123456789)',
  ],
  502: ['SERVER_UNAVAILABLE', 'Bad Gateway'],
  503: ['SERVER_UNAVAILABLE', 'Server is temporarily unavailable. Try again later.'],
  504: ['REQUEST_RUNNING_TOO_LONG', 'Your request was running for too long, and has been stopped.'],
};

/** Salesforce's answer for an armed status fault. */
export function salesforceFaultResponse(status: number): SimResponse {
  const known = FAULT_BODIES[status];
  if (status === 401) return invalidSession();
  return known ? sfError(status, known[0], known[1]) : sfError(status, 'UNKNOWN_EXCEPTION', `HTTP ${status}`);
}
