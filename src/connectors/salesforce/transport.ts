import { z } from 'zod';
import { CrossdockError } from '../../kernel/index.js';
import {
  type BudgetFeedback,
  type ConnectorContext,
  ConnectorErrors,
  type HttpRequest,
  type HttpResponse,
  type TransportSpec,
} from '../sdk/index.js';
import type { SalesforceCredentials } from './credentials.js';
import type { SalesforceSettings } from './settings.js';

/** The one place the upstream API version lives: Salesforce REST API v62.0 (Winter '25). */
export const SALESFORCE_API_VERSION = '62.0';
export const DATA_PATH = `/services/data/v${SALESFORCE_API_VERSION}`;
export const SALESFORCE_SYSTEM = `Salesforce REST API v${SALESFORCE_API_VERSION}`;

export type SalesforceContext = ConnectorContext<SalesforceSettings, SalesforceCredentials>;

/** REST API errors are an array of `{message, errorCode, fields?}` (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm). */
export const salesforceErrorSchema = z.array(
  z.object({ message: z.string(), errorCode: z.string(), fields: z.array(z.string()).optional() }),
);
export type SalesforceError = z.infer<typeof salesforceErrorSchema>[number];

export function describeErrors(errors: readonly SalesforceError[]): string {
  return errors.map((e) => `${e.errorCode}: ${e.message}${e.fields && e.fields.length > 0 ? ` [${e.fields.join(', ')}]` : ''}`).join('; ');
}

/** `Sforce-Limit-Info: api-usage=18/15000` (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm). */
export function parseLimitInfo(value: string | undefined): { used: number; limit: number; remaining: number } | undefined {
  const match = /api-usage=(\d+)\/(\d+)/.exec(value ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  const used = Number(match[1]);
  const limit = Number(match[2]);
  return { used, limit, remaining: Math.max(0, limit - used) };
}

/** The last daily API usage each instance saw, keyed by its settings object (one per instance). */
const usageByInstance = new WeakMap<SalesforceSettings, { used: number; limit: number; remaining: number; at: number }>();

/** The org's daily API usage as last reported on a response (for metrics and the console). */
export function salesforceApiUsage(ctx: { readonly settings: SalesforceSettings }) {
  return usageByInstance.get(ctx.settings);
}

/**
 * Reads a Salesforce answer: REQUEST_LIMIT_EXCEEDED (403, the org's 24 h allocation is spent) is a rate
 * limit that pauses the budget; an error array on any other 4xx is permanent with every errorCode in the
 * message; a 300 (several records share the external id) is permanent too.
 */
export function salesforceClassify(settings: Pick<SalesforceSettings, 'dailyLimitPauseMs'>) {
  return (response: HttpResponse<unknown>) => {
    if (response.status === 300) {
      return ConnectorErrors.rejected(`Salesforce found several records with this external id: ${response.text.slice(0, 500)}`, {
        status: 300,
        errorCodes: ['MULTIPLE_CHOICES'],
        vendorBody: response.body,
      });
    }
    if (response.status < 400 || response.status === 401 || response.status === 429 || response.status >= 500) return undefined;
    const errors = salesforceErrorSchema.safeParse(response.body);
    if (!errors.success) return undefined;
    const codes = errors.data.map((e) => e.errorCode);
    const details = { status: response.status, errorCodes: codes, vendorBody: response.body };
    if (codes.includes('REQUEST_LIMIT_EXCEEDED')) {
      return ConnectorErrors.rateLimited(`Salesforce API limit exceeded: ${describeErrors(errors.data)}`, {
        ...details,
        retryAfterMs: settings.dailyLimitPauseMs,
      });
    }
    if (response.status === 404) return ConnectorErrors.notFound(`Salesforce: ${describeErrors(errors.data)}`, details);
    return ConnectorErrors.rejected(`Salesforce rejected the request: ${describeErrors(errors.data)}`, details);
  };
}

/** Records the daily usage; once it is spent, pauses the budget rather than spend calls on certain refusals. */
export function salesforceFeedback(settings: SalesforceSettings) {
  return (response: HttpResponse<unknown>): BudgetFeedback | undefined => {
    const usage = parseLimitInfo(response.headers['sforce-limit-info']);
    if (!usage) return undefined;
    usageByInstance.set(settings, { ...usage, at: Date.now() });
    return usage.remaining === 0 ? { retryAfterMs: settings.dailyLimitPauseMs } : undefined;
  };
}

export function salesforceTransport(settings: SalesforceSettings): TransportSpec {
  return {
    baseUrl: settings.instanceUrl,
    classify: salesforceClassify(settings),
    feedback: salesforceFeedback(settings),
    timeoutMs: settings.timeoutMs,
  };
}

/** A call under `/services/data/vXX.X`; the body is parsed with the caller's schema. */
export async function sfCall<T>(
  ctx: SalesforceContext,
  req: Omit<HttpRequest, 'path'> & { path: string; operation: string },
  schema: z.ZodType<T>,
): Promise<{ status: number; body: T }> {
  const path = req.path.startsWith('/services/') ? req.path : `${DATA_PATH}${req.path}`;
  const response = await ctx.http.request({ ...req, path });
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ConnectorErrors.mapping(`Salesforce ${req.operation} answer ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, {
      vendorBody: response.body,
    });
  }
  return { status: response.status, body: parsed.data };
}

/** The sObject Rows by External ID resource: `/sobjects/{type}/{field}/{value}`. */
export function byExternalId(settings: SalesforceSettings, type: string, value: string): string {
  return `/sobjects/${type}/${settings.externalIdField}/${encodeURIComponent(value)}`;
}

export const upsertResultSchema = z.object({ id: z.string(), success: z.boolean(), created: z.boolean().optional() });

const compositeSchema = z.object({
  compositeResponse: z.array(z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() })),
});
export type CompositeResponse = z.infer<typeof compositeSchema>;

/**
 * One composite request with allOrNone (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm):
 * either every subrequest is written or none is; the subrequests are keyed, so a repeat is safe.
 */
export async function postComposite(
  ctx: SalesforceContext,
  compositeRequest: ReadonlyArray<Record<string, unknown>>,
  operation: string,
): Promise<CompositeResponse> {
  const { body } = await sfCall(
    ctx,
    { method: 'POST', path: '/composite', body: { allOrNone: true, compositeRequest }, idempotent: true, operation },
    compositeSchema,
  );
  return body;
}

/**
 * A refused write of a batch as data, so the others of the batch still count: a permanent or
 * business error becomes that item's outcome; a retryable one (or anything else) is thrown on and
 * fails the whole call, whose items are then retried.
 */
export function refusalOf(err: unknown): { message: string; errorCodes: string[]; notFound: boolean } {
  if (!(err instanceof CrossdockError) || err.errorClass === 'retryable') throw err;
  const codes = err.details.errorCodes;
  return { message: err.message, errorCodes: Array.isArray(codes) ? codes.map(String) : [], notFound: ConnectorErrors.notFound.is(err) };
}

/**
 * Why an all-or-none composite rolled back, each error prefixed by its subrequest's referenceId;
 * empty when every subrequest succeeded. The others report PROCESSING_HALTED; the cause is the one
 * that does not (all of them when nothing else is reported).
 */
export function compositeErrors(body: CompositeResponse): SalesforceError[] {
  const errors = body.compositeResponse
    .filter((r) => r.httpStatusCode >= 400)
    .flatMap((r) => {
      const parsed = salesforceErrorSchema.safeParse(r.body);
      return parsed.success ? parsed.data.map((e) => ({ ...e, message: `${r.referenceId}: ${e.message}` })) : [];
    });
  const causes = errors.filter((e) => e.errorCode !== 'PROCESSING_HALTED');
  return causes.length > 0 ? causes : errors;
}
