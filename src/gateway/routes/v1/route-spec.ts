import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Errors } from '../../../kernel/index.js';
import { GatewayErrors } from '../../problem.js';
import type { GatewayApp } from '../../types.js';

/** Request headers a route may read; each is documented as a header parameter. */
export type HeaderParam = 'Idempotency-Key' | 'If-Match' | 'If-None-Match' | 'X-Correlation-Id';

/** One documented response of a route. */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Response headers worth documenting (ETag, Location, Link). */
  headers?: readonly string[];
}

/** Everything the OpenAPI document says about a route; the route is registered from the same value. */
export interface RouteDoc {
  method: 'GET' | 'POST';
  /** OpenAPI style: `/v1/orders/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The scope a partner credential needs. */
  scope: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: readonly HeaderParam[];
  body?: z.ZodType;
  /** A valid request body, shown in the docs (and sent by the conformance test). */
  example?: unknown;
  /** Largest request body, bytes. */
  bodyLimit?: number;
  responses: Readonly<Record<number, ResponseDoc>>;
}

/** A declared route: its document plus how to register it. */
export interface ApiRoute {
  readonly doc: RouteDoc;
  register(app: GatewayApp): void;
}

/** Declared for a route without path parameters. */
export const NO_PARAMS = z.strictObject({});
/** Declared for a route without query parameters (any given are ignored). */
export const NO_QUERY = z.object({});
/** Declared for a route without a request body. */
export const NO_BODY = z.undefined();

/** What a handler receives: every part already parsed by the schema the document shows. */
export interface RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** `lines[1].qty` from zod's ['lines', 1, 'qty']. */
export function pathOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Parses a part of a request; a failure is CD_ERR_VALIDATION (422) naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));
  const first = issues[0];
  throw Errors.validation(`${where} ${first?.path || '(root)'}: ${first?.message ?? 'invalid'}`, {
    path: first?.path ?? '',
    in: where,
    issues,
  });
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json(\s*;.*)?$/i;

/**
 * Declares a route from its document and a typed handler. The handler receives params, query and
 * body already checked against the schemas the OpenAPI document shows; whatever it returns is sent.
 */
export function defineRoute<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(
  doc: Omit<RouteDoc, 'params' | 'query' | 'body'> & { params: P; query: Q; body: B },
  handler: (input: RouteInput<P, Q, B>) => Promise<unknown>,
): ApiRoute {
  const hasBody = !Object.is(doc.body, NO_BODY);
  const url = doc.path.replace(/\{([^}]+)\}/g, ':$1');
  return {
    doc,
    register(app) {
      app.route({
        method: doc.method,
        url,
        config: { scope: doc.scope },
        ...(doc.bodyLimit !== undefined ? { bodyLimit: doc.bodyLimit } : {}),
        handler: async (request, reply) => {
          if (hasBody) {
            const type = request.headers['content-type'];
            if (type === undefined || !JSON_TYPE.test(type)) {
              throw GatewayErrors.mediaType(`send the body as application/json (got ${type ?? 'no content type'})`, {
                path: 'Content-Type',
              });
            }
          }
          const params = parseInput(doc.params, request.params ?? {}, 'path');
          const query = parseInput(doc.query, request.query ?? {}, 'query');
          const body = parseInput(doc.body, hasBody ? request.body : undefined, 'body');
          return handler({ params, query, body, request, reply });
        },
      });
    },
  };
}

/** A request header as one string (the last value when repeated); undefined when absent. */
export function headerOf(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[v.length - 1] : v;
}
