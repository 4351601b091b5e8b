import { z } from 'zod';
import { type ConnectorContext, ConnectorErrors, type HttpResponse, type HttpTransport, type TransportSpec } from '../sdk/index.js';
import type { ShopifyCredentials } from './credentials.js';
import type { ShopifySettings } from './settings.js';

/** The one place the upstream API version lives: Shopify Admin GraphQL API 2025-01. */
export const SHOPIFY_API_VERSION = '2025-01';
export const SHOPIFY_GRAPHQL_PATH = `/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
export const SHOPIFY_SYSTEM = `Shopify Admin GraphQL API ${SHOPIFY_API_VERSION}`;

export type ShopifyContext = ConnectorContext<ShopifySettings, ShopifyCredentials>;

// https://shopify.dev/docs/api/usage/limits#cost-calculation — every GraphQL answer carries the bucket.
const costSchema = z.object({
  requestedQueryCost: z.number(),
  actualQueryCost: z.number().nullable(),
  throttleStatus: z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() }),
});
const graphqlErrorSchema = z.object({
  message: z.string(),
  extensions: z.looseObject({ code: z.string().optional() }).optional(),
});
const envelopeSchema = z.object({
  data: z.unknown().optional(),
  errors: z.array(graphqlErrorSchema).optional(),
  extensions: z.object({ cost: costSchema.optional() }).optional(),
});

function parseEnvelope(response: HttpResponse<unknown>): z.infer<typeof envelopeSchema> | undefined {
  if (response.status !== 200) return undefined;
  const parsed = envelopeSchema.safeParse(response.body);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Budget feedback from `extensions.cost`. A served query refunds what it did not use (requested −
 * actual, as Shopify does). The server's `currentlyAvailable` is applied only when it throttled us: on
 * a served answer it is a snapshot taken before our other in-flight calls arrived, and copying it
 * would hand their cost out a second time.
 */
export function shopifyFeedback(response: HttpResponse<unknown>) {
  const cost = parseEnvelope(response)?.extensions?.cost;
  if (!cost) return undefined;
  if (cost.actualQueryCost === null) return { currentlyAvailable: cost.throttleStatus.currentlyAvailable };
  return { requestedCost: cost.requestedQueryCost, actualCost: cost.actualQueryCost };
}

/**
 * Shopify answers GraphQL failures with 200: THROTTLED becomes a rate limit whose wait is what the
 * bucket needs to refill the requested cost at the restore rate; any other top-level error (syntax,
 * MAX_COST_EXCEEDED, INVALID_VARIABLE) is permanent and carries the vendor's messages.
 */
export function shopifyClassify(response: HttpResponse<unknown>) {
  const envelope = parseEnvelope(response);
  if (!envelope?.errors || envelope.errors.length === 0) return undefined;
  const said = envelope.errors.map((e) => e.message).join('; ');
  const codes = envelope.errors.map((e) => e.extensions?.code ?? 'UNKNOWN');
  if (codes.includes('THROTTLED')) {
    const cost = envelope.extensions?.cost;
    const missing = cost ? Math.max(1, cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable) : 1;
    const restore = cost?.throttleStatus.restoreRate ?? 50;
    const retryAfterMs = Math.ceil((missing / restore) * 1000);
    return ConnectorErrors.rateLimited(`Shopify throttled the query: ${said}`, { retryAfterMs, vendorBody: response.body });
  }
  return ConnectorErrors.rejected(`Shopify refused the query: ${said}`, { codes, vendorBody: response.body });
}

export function shopifyTransport(settings: ShopifySettings): TransportSpec {
  return {
    baseUrl: settings.shopUrl,
    classify: shopifyClassify,
    feedback: shopifyFeedback,
    secretHeaders: ['x-shopify-access-token'],
    timeoutMs: settings.timeoutMs,
  };
}

export interface GraphqlCall<T> {
  query: string;
  variables?: Record<string, unknown>;
  /** The requested cost by Shopify's rule (objects 1, connections 2 + n × element, mutations 10). */
  cost: number;
  operation: string;
  schema: z.ZodType<T>;
  /** Safe to send again after a timeout (an absolute set, a read); mutations are not by default. */
  idempotent?: boolean;
}

/** Sends one GraphQL document and parses `data` with the caller's schema. */
export async function graphql<T>(ctx: { readonly http: HttpTransport }, call: GraphqlCall<T>): Promise<T> {
  const response = await ctx.http.request({
    method: 'POST',
    path: SHOPIFY_GRAPHQL_PATH,
    body: { query: call.query, variables: call.variables ?? {} },
    cost: call.cost,
    operation: call.operation,
    // Queries only read; a mutation is repeated after a timeout only when the caller says it is safe.
    idempotent: call.idempotent ?? !/^\s*mutation\b/.test(call.query),
  });
  const envelope = envelopeSchema.safeParse(response.body);
  const data = call.schema.safeParse(envelope.success ? envelope.data.data : undefined);
  if (!data.success) {
    const issue = data.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw ConnectorErrors.mapping(`Shopify ${call.operation} answer ${path || '(root)'}: ${issue?.message ?? 'unexpected shape'}`, {
      path,
      vendorBody: response.body,
    });
  }
  return data.data;
}

export const userErrorSchema = z.object({
  field: z.array(z.string()).nullable().optional(),
  message: z.string(),
  code: z.string().nullable().optional(),
});
export type UserError = z.infer<typeof userErrorSchema>;

/** Mutation `userErrors` mean Shopify refused the data: permanent, with its words. */
export function throwUserErrors(operation: string, errors: readonly UserError[]): void {
  if (errors.length === 0) return;
  const said = errors.map((e) => (e.field ? `${e.field.join('.')}: ${e.message}` : e.message)).join('; ');
  throw ConnectorErrors.rejected(`Shopify rejected ${operation}: ${said}`, {
    path: errors[0]?.field?.join('.') ?? '',
    userErrors: errors.map((e) => ({ field: e.field ?? null, message: e.message, code: e.code ?? null })),
  });
}

/** A Shopify GID for a numeric id (or the GID itself when one is given). */
export function toGid(type: string, id: string): string {
  return id.startsWith('gid://') ? id : `gid://shopify/${type}/${id}`;
}

/** The numeric part of a GID, as a string (ids exceed 2^53). */
export function fromGid(id: string): string {
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)/.exec(id);
  return match?.[1] ?? id;
}
