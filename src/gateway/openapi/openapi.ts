import { z } from 'zod';
import { PARTNER_SCOPES } from '../auth/identity.js';
import type { RouteDoc } from '../routes/v1/index.js';
import { NO_BODY } from '../routes/v1/route-spec.js';
import { type JsonObject, SchemaCollector } from './json-schema.js';
import { ProblemSchema } from './problem.schema.js';

/** The OpenAPI 3.1 document of the partner API. */
export type OpenApiDocument = JsonObject & { openapi: string; paths: Record<string, Record<string, JsonObject>> };

export interface OpenApiOptions {
  version: string;
  routes: readonly RouteDoc[];
  /** Paths described by hand (routes registered outside the route declarations). */
  extraPaths?: (schemas: SchemaCollector) => Record<string, Record<string, JsonObject>>;
}

const HEADER_DOCS: Record<string, { description: string; schema: JsonObject }> = {
  'Idempotency-Key': {
    description: 'any unique string up to 255 characters; the same key with the same body returns the first response for 24 hours',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
  'If-Match': {
    description: 'the ETag you read; the change is refused with 412 if the document changed since',
    schema: { type: 'string' },
  },
  'If-None-Match': { description: 'the ETag you hold; answered 304 without a body when unchanged', schema: { type: 'string' } },
  'X-Correlation-Id': {
    description: 'your id for the business transaction; carried on every event this request causes',
    schema: { type: 'string', maxLength: 200, pattern: '^[A-Za-z0-9._:/-]{1,200}$' },
  },
};

const RESPONSE_HEADER_DOCS: Record<string, JsonObject> = {
  ETag: { description: 'version of the document; send it in If-Match / If-None-Match', schema: { type: 'string' } },
  'Last-Modified': { description: 'when the document last changed', schema: { type: 'string' } },
  Location: { description: 'the URL of the created document', schema: { type: 'string' } },
  Link: { description: 'RFC 8288 link to the next page (rel="next")', schema: { type: 'string' } },
};

const RATE_HEADERS: JsonObject = {
  RateLimit: { description: 'remaining requests and seconds to reset: `"partner";r=<remaining>;t=<seconds>`', schema: { type: 'string' } },
  'RateLimit-Policy': { description: 'the quota: `"partner";q=<limit>;w=<window seconds>`', schema: { type: 'string' } },
};

function parametersOf(route: RouteDoc, schemas: SchemaCollector): JsonObject[] {
  const out: JsonObject[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      if (!(field instanceof z.ZodType)) continue;
      const json = schemas.convert(field, 'input');
      const { description, ...rest } = json;
      out.push({
        name,
        in: where,
        required: where === 'path' || !field.safeParse(undefined).success,
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      });
    }
  }
  for (const header of route.headers ?? []) {
    const doc = HEADER_DOCS[header];
    if (doc) out.push({ name: header, in: 'header', required: false, description: doc.description, schema: doc.schema });
  }
  return out;
}

function operationOf(route: RouteDoc, schemas: SchemaCollector): JsonObject {
  const responses: JsonObject = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const code = Number(status);
    const headers: JsonObject = { ...RATE_HEADERS };
    for (const h of response.headers ?? []) headers[h] = RESPONSE_HEADER_DOCS[h] ?? { schema: { type: 'string' } };
    if (code === 429) headers['Retry-After'] = { description: 'seconds to wait', schema: { type: 'integer' } };
    const content =
      code >= 400
        ? { 'application/problem+json': { schema: schemas.named('Problem', ProblemSchema, 'output') } }
        : response.schema
          ? { 'application/json': { schema: schemas.convert(response.schema, 'output') } }
          : undefined;
    responses[status] = { description: response.description, headers, ...(content ? { content } : {}) };
  }
  const hasBody = route.body !== undefined && !Object.is(route.body, NO_BODY);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    security: [{ apiKey: [] }, { oauth2: [route.scope] }],
    'x-scope': route.scope,
    parameters: parametersOf(route, schemas),
    ...(hasBody && route.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: schemas.convert(route.body, 'input'),
                ...(route.example !== undefined ? { example: route.example } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

/** Builds the document from the declared routes: paths, parameters, bodies and responses all come from their schemas. */
export function buildOpenApi(options: OpenApiOptions): OpenApiDocument {
  const schemas = new SchemaCollector();
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of options.routes) {
    const entry = paths[route.path] ?? {};
    entry[route.method.toLowerCase()] = operationOf(route, schemas);
    paths[route.path] = entry;
  }
  for (const [path, ops] of Object.entries(options.extraPaths?.(schemas) ?? {})) paths[path] = { ...paths[path], ...ops };
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'crossdock partner API',
      version: options.version,
      description:
        'Orders, shipments, invoices, returns, items, customers, purchase orders, acknowledgements, ASNs and inventory updates for trading partners. Every document you see is your own. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(options.routes.map((r) => r.tag))].map((name) => ({ name })),
    paths: sorted,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'an API key `cdk_<prefix>_<secret>` as a bearer token' },
        oauth2: {
          type: 'oauth2',
          description: 'OAuth 2.0 client credentials; the access token (a JWT, 15 minutes) is sent as a bearer token',
          flows: {
            clientCredentials: {
              tokenUrl: '/oauth/token',
              scopes: Object.fromEntries(PARTNER_SCOPES.map((s) => [s, s.replace(':', ' ')])),
            },
          },
        },
      },
      schemas: schemas.components,
    },
  };
}
