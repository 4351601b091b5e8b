import { z } from 'zod';
import { header, parseJsonBody, type SimRequest, type SimResponse } from '../kit/http-sim.js';
import type { TokenBucket } from '../kit/token-bucket.js';
import { requestedCost } from './graphql/cost.js';
import { execute, type GqlObject, ValidationError } from './graphql/execute.js';
import { type GqlOperation, GqlSyntaxError, parseOperation } from './graphql/parse.js';

export const INVALID_TOKEN_BODY = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

const requestSchema = z.object({
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

export interface GraphqlRouteDeps {
  accessTokens: ReadonlySet<string>;
  bucket: TokenBucket;
  maxQueryCost: number;
  mutationCost: number;
  queryRoot: () => GqlObject;
  mutationRoot: () => GqlObject;
}

/**
 * POST /admin/api/<version>/graphql.json — token check, calculated-cost throttling
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits), then execution. GraphQL-level
 * failures (syntax, THROTTLED, MAX_COST_EXCEEDED, userErrors) answer 200 like Shopify; only transport
 * problems (auth, malformed body) use other statuses.
 */
export function handleGraphql(req: SimRequest, deps: GraphqlRouteDeps): SimResponse {
  const token = header(req, 'x-shopify-access-token');
  if (!token || !deps.accessTokens.has(token)) return { status: 401, body: INVALID_TOKEN_BODY };

  const contentType = header(req, 'content-type') ?? '';
  const parsed = contentType.includes('application/graphql')
    ? requestSchema.safeParse({ query: req.rawBody.toString('utf8') })
    : requestSchema.safeParse(parseJsonBody(req.rawBody));
  if (!parsed.success) return { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } };
  const variables = parsed.data.variables ?? {};

  let operation: GqlOperation;
  try {
    operation = parseOperation(parsed.data.query, parsed.data.operationName ?? undefined);
  } catch (err) {
    if (!(err instanceof GqlSyntaxError)) throw err;
    return { status: 200, body: { errors: [{ message: err.message, locations: [{ line: err.line, column: err.column }] }] } };
  }

  const { bucket } = deps;
  const throttleStatus = () => ({
    maximumAvailable: bucket.capacity,
    currentlyAvailable: Math.floor(bucket.available()),
    restoreRate: bucket.refillPerSecond,
  });
  const requested = requestedCost(operation, variables, deps.mutationCost);

  if (requested > deps.maxQueryCost) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${deps.maxQueryCost}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
            extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: deps.maxQueryCost },
          },
        ],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() } },
      },
    };
  }

  if (!bucket.tryTake(requested)) {
    return {
      status: 200,
      body: {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() } },
      },
    };
  }

  try {
    const root = operation.type === 'mutation' ? deps.mutationRoot() : deps.queryRoot();
    const result = execute(operation, root, variables, deps.mutationCost);
    // Charged the requested cost up front; the difference to the actual cost is refunded after execution.
    const actual = Math.min(result.actualCost, requested);
    bucket.give(requested - actual);
    const body: Record<string, unknown> = { data: result.data };
    if (result.errors.length > 0) body.errors = result.errors;
    body.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: throttleStatus() } };
    return { status: 200, body };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    bucket.give(requested);
    return { status: 200, body: { errors: err.errors } };
  }
}
