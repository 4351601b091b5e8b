import { z } from 'zod';
import { type ConnectorContext, ConnectorErrors, type HttpRequest, type HttpResponse, type TransportSpec } from '../sdk/index.js';
import type { WmsCredentials } from './credentials.js';
import { WmsErrors } from './errors.js';
import type { WmsSettings } from './settings.js';
import { wmsErrorBodySchema } from './wire.js';

/** The one place the upstream API version lives: the 3PL REST API v1. */
export const WMS_API_VERSION = 'v1';
export const WMS_SYSTEM = `3PL warehouse REST API ${WMS_API_VERSION}`;
export const wmsPath = (path: string) => `/${WMS_API_VERSION}${path}`;

export type WmsContext = ConnectorContext<WmsSettings, WmsCredentials>;

function vendorError(response: HttpResponse<unknown>) {
  const parsed = wmsErrorBodySchema.safeParse(response.body);
  return parsed.success ? parsed.data.error : undefined;
}

/**
 * Codes of the vendor's error body that mean something a flow should branch on; the rest follows the
 * transport's status rules (429 waits Retry-After, 5xx retried, 409 conflict, other 4xx rejected).
 */
export function wmsClassify(response: HttpResponse<unknown>) {
  if (response.status < 400) return undefined;
  const error = vendorError(response);
  if (!error) return undefined;
  const details = { status: response.status, vendorBody: response.body, vendorCode: error.code };
  if (error.code === 'order_not_cancellable') return WmsErrors.alreadyShipped(`WMS: ${error.message}`, details);
  if (error.code === 'insufficient_inventory') return WmsErrors.insufficientInventory(`WMS: ${error.message}`, details);
  if (error.code === 'snapshot_expired') return WmsErrors.snapshotExpired(`WMS: ${error.message}`, details);
  if (response.status === 422 || response.status === 400) {
    const first = z.object({ field: z.string() }).safeParse(error.details[0]);
    return ConnectorErrors.rejected(`WMS answered ${response.status} ${error.code}: ${error.message}`, {
      ...details,
      ...(first.success ? { path: first.data.field } : {}),
    });
  }
  return undefined;
}

export function wmsTransport(settings: WmsSettings): TransportSpec {
  return { baseUrl: settings.baseUrl, classify: wmsClassify, timeoutMs: settings.timeoutMs };
}

/** One call whose JSON answer is parsed with `schema`; a shape we do not expect is a mapping error. */
export async function call<T>(ctx: { readonly http: ConnectorContext['http'] }, req: HttpRequest, schema: z.ZodType<T>): Promise<T> {
  const response = await ctx.http.request(req);
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw ConnectorErrors.mapping(`WMS ${req.operation ?? req.path} answer ${path || '(root)'}: ${issue?.message ?? 'unexpected shape'}`, {
      path,
      vendorBody: response.body,
    });
  }
  return parsed.data;
}
