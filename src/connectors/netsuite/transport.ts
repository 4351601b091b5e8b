import { z } from 'zod';
import { type ConnectorContext, ConnectorErrors, type HttpResponse, parseRetryAfter, type TransportSpec } from '../sdk/index.js';
import type { NetSuiteCredentials } from './credentials.js';
import type { NetSuiteSettings } from './settings.js';

/** The one place the upstream API version lives: NetSuite REST web services, record and query v1. */
export const NETSUITE_REST_VERSION = 'v1';
export const RECORD_PATH = `/services/rest/record/${NETSUITE_REST_VERSION}`;
export const SUITEQL_PATH = `/services/rest/query/${NETSUITE_REST_VERSION}/suiteql`;
export const NETSUITE_SYSTEM = `NetSuite REST web services (record ${NETSUITE_REST_VERSION}, SuiteQL)`;

export type NetSuiteContext = ConnectorContext<NetSuiteSettings, NetSuiteCredentials>;

/** Error bodies: `{type, title, status, o:errorDetails:[{detail, o:errorCode, o:errorPath?}]}` (NetSuite help, "Error Handling and Logging in REST Web Services"). */
const errorBodySchema = z.object({
  'o:errorDetails': z.array(z.object({ detail: z.string(), 'o:errorCode': z.string(), 'o:errorPath': z.string().optional() })),
});

/**
 * Reads a NetSuite error: CONCURRENCY_LIMIT_EXCEEDED (429) is a rate limit; a USER_ERROR on
 * `externalId` means the record already exists (a conflict, which an idempotent create resolves by
 * lookup); other 4xx are permanent with every o:errorCode in the message.
 */
export function netsuiteClassify(response: HttpResponse<unknown>) {
  if (response.status < 400 || response.status === 401 || response.status >= 500) return undefined;
  const body = errorBodySchema.safeParse(response.body);
  if (!body.success) return undefined;
  const errors = body.data['o:errorDetails'];
  const codes = errors.map((e) => e['o:errorCode']);
  const said = errors.map((e) => `${e['o:errorCode']}: ${e.detail}${e['o:errorPath'] ? ` (${e['o:errorPath']})` : ''}`).join('; ');
  const path = errors.find((e) => e['o:errorPath'])?.['o:errorPath'];
  const details = { status: response.status, errorCodes: codes, vendorBody: response.body, ...(path ? { path } : {}) };
  if (response.status === 429 || codes.includes('CONCURRENCY_LIMIT_EXCEEDED')) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
    return ConnectorErrors.rateLimited(`NetSuite refused a request over the account's concurrency limit: ${said}`, {
      ...details,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (response.status === 404) return ConnectorErrors.notFound(`NetSuite: ${said}`, details);
  if (path === 'externalId' && /already exists/i.test(said)) return ConnectorErrors.conflict(`NetSuite: ${said}`, details);
  if (response.status === 403) return ConnectorErrors.auth(`NetSuite denied the request: ${said}`, details);
  return ConnectorErrors.rejected(`NetSuite rejected the request: ${said}`, details);
}

export function netsuiteTransport(settings: NetSuiteSettings): TransportSpec {
  return { baseUrl: settings.baseUrl, classify: netsuiteClassify, timeoutMs: settings.timeoutMs };
}

/** The internal id at the end of a create's `Location` header (`…/record/v1/salesOrder/1234`). */
export function idFromLocation(location: string | undefined): string {
  const match = /\/([^/?#]+)\/?(?:[?#].*)?$/.exec(location ?? '');
  const id = match?.[1];
  if (!id || !/^\d+$/.test(id))
    throw ConnectorErrors.mapping(`NetSuite create answered without a record Location (got "${location ?? ''}")`, { path: 'location' });
  return id;
}
