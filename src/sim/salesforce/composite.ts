import { z } from 'zod';
import type { SimResponse } from '../kit/http-sim.js';
import { sfError } from './errors.js';
import { executeRest, type RestContext } from './rest.route.js';

const subrequestSchema = z.object({
  method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD']),
  url: z.string().min(1),
  referenceId: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  body: z.unknown().optional(),
  httpHeaders: z.record(z.string(), z.string()).optional(),
});

/** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm */
const compositeSchema = z.object({
  allOrNone: z.boolean().optional(),
  collateSubrequests: z.boolean().optional(),
  compositeRequest: z.array(subrequestSchema).min(1).max(25),
});

/** Nodes (subrequests) in one composite graph request, over all its graphs. */
const GRAPH_NODE_LIMIT = 500;

/** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_graph.htm */
const graphSchema = z.object({
  graphs: z.array(z.object({ graphId: z.string().min(1), compositeRequest: z.array(subrequestSchema).min(1) })).min(1),
});

export interface CompositeSubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const REFERENCE = /@\{([A-Za-z][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+|\[\d+\])+)\}/g;

class UnresolvedReference extends Error {}

function lookup(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.match(/[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part;
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? current[Number(key)] : Object.entries(current).find(([k]) => k === key)?.[1];
  }
  return current;
}

function resolveString(text: string, results: ReadonlyMap<string, unknown>): string {
  return text.replace(REFERENCE, (whole, ref: string, path: string) => {
    const value = results.has(ref) ? lookup(results.get(ref), path) : undefined;
    if (value === undefined || value === null || typeof value === 'object')
      throw new UnresolvedReference(`${whole}|${ref}|${path.slice(1)}`);
    return String(value);
  });
}

function resolveDeep(value: unknown, results: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === 'string') return resolveString(value, results);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, results));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, results)]));
  return value;
}

const halted = (message: string) => [{ errorCode: 'PROCESSING_HALTED', message }];
const ROLLED_BACK = 'The transaction was rolled back since another operation in the same transaction failed.';

/**
 * Runs subrequests in order, resolving `@{referenceId.path}` against earlier successful bodies. With
 * allOrNone, the first failure rolls every write back and every other subrequest reports PROCESSING_HALTED.
 */
export function executeComposite(ctx: RestContext, body: unknown): SimResponse {
  const parsed = compositeSchema.safeParse(body);
  if (!parsed.success)
    return sfError(400, 'JSON_PARSER_ERROR', `Invalid composite request: ${parsed.error.issues[0]?.message ?? 'malformed'}`);
  const { allOrNone = false, compositeRequest } = parsed.data;
  const duplicate = duplicateReference(compositeRequest);
  if (duplicate) return sfError(400, 'INVALID_INPUT', `Duplicate ReferenceId provided in the request: ${duplicate}`);
  return { status: 200, body: { compositeResponse: runComposite(ctx, allOrNone, compositeRequest).results } };
}

/**
 * Composite graphs, `POST /composite/graph`: each graph runs as an all-or-none composite of its
 * own (up to 500 nodes over all graphs); one graph failing rolls back only that graph.
 */
export function executeGraph(ctx: RestContext, body: unknown): SimResponse {
  const parsed = graphSchema.safeParse(body);
  if (!parsed.success)
    return sfError(400, 'JSON_PARSER_ERROR', `Invalid composite graph request: ${parsed.error.issues[0]?.message ?? 'malformed'}`);
  const { graphs } = parsed.data;
  const nodes = graphs.reduce((n, g) => n + g.compositeRequest.length, 0);
  if (nodes > GRAPH_NODE_LIMIT)
    return sfError(400, 'INVALID_INPUT', `The request has ${nodes} nodes; a composite graph request allows at most ${GRAPH_NODE_LIMIT}`);
  const graphIds = new Set<string>();
  for (const g of graphs) {
    if (graphIds.has(g.graphId)) return sfError(400, 'INVALID_INPUT', `Duplicate graphId provided in the request: ${g.graphId}`);
    graphIds.add(g.graphId);
    const duplicate = duplicateReference(g.compositeRequest);
    if (duplicate) return sfError(400, 'INVALID_INPUT', `Duplicate ReferenceId provided in graph ${g.graphId}: ${duplicate}`);
  }
  const out = graphs.map((g) => {
    const run = runComposite(ctx, true, g.compositeRequest);
    return { graphId: g.graphId, graphResponse: { compositeResponse: run.results }, isSuccessful: !run.failed };
  });
  return { status: 200, body: { graphs: out } };
}

function duplicateReference(requests: ReadonlyArray<{ referenceId: string }>): string | undefined {
  const ids = new Set<string>();
  for (const sub of requests) {
    if (ids.has(sub.referenceId)) return sub.referenceId;
    ids.add(sub.referenceId);
  }
  return undefined;
}

/** Runs one composite's subrequests with the store recording, so allOrNone can roll them back. */
function runComposite(
  ctx: RestContext,
  allOrNone: boolean,
  compositeRequest: ReadonlyArray<z.infer<typeof subrequestSchema>>,
): { results: CompositeSubResult[]; failed: boolean } {
  const snapshot = ctx.store.snapshot();
  try {
    return runAll(ctx, allOrNone, compositeRequest, snapshot);
  } finally {
    snapshot.keep();
  }
}

function runAll(
  ctx: RestContext,
  allOrNone: boolean,
  compositeRequest: ReadonlyArray<z.infer<typeof subrequestSchema>>,
  snapshot: { restore: () => void },
): { results: CompositeSubResult[]; failed: boolean } {
  const bodies = new Map<string, unknown>();
  const results: CompositeSubResult[] = [];
  let failedAt = -1;
  for (const [index, sub] of compositeRequest.entries()) {
    let out: SimResponse;
    try {
      const url = new URL(resolveString(sub.url, bodies), 'http://sim.local');
      const match = /^\/services\/data\/(v\d+\.\d)(\/.*)$/.exec(url.pathname);
      out =
        match?.[2] === undefined
          ? sfError(404, 'NOT_FOUND', 'The requested resource does not exist')
          : executeRest(ctx, {
              method: sub.method,
              path: match[2],
              query: url.searchParams,
              body: resolveDeep(sub.body, bodies),
              headers: Object.fromEntries(Object.entries(sub.httpHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
            });
    } catch (err) {
      if (!(err instanceof UnresolvedReference)) throw err;
      const [expr, ref, path] = err.message.split('|');
      out = {
        status: 400,
        body: halted(`Invalid reference specified. No value for ${ref}.${path} found in ${ref}. Provided referenceId ${expr} is invalid.`),
      };
    }
    const ok = out.status < 400;
    if (ok) bodies.set(sub.referenceId, out.body);
    results.push({ body: out.body ?? null, httpHeaders: out.headers ?? {}, httpStatusCode: out.status, referenceId: sub.referenceId });
    if (!ok && allOrNone) {
      failedAt = index;
      break;
    }
  }
  if (failedAt >= 0) {
    snapshot.restore();
    const all = compositeRequest.map((sub, index): CompositeSubResult => {
      const done = results[index];
      if (index === failedAt && done) return done;
      return { body: halted(ROLLED_BACK), httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId };
    });
    return { results: all, failed: true };
  }
  return { results, failed: results.some((r) => r.httpStatusCode >= 400) };
}
