import type { JsonObject, SchemaCollector } from './json-schema.js';
import { ProblemSchema } from './problem.schema.js';

const problem = (schemas: SchemaCollector, description: string): JsonObject => ({
  description,
  content: { 'application/problem+json': { schema: schemas.named('Problem', ProblemSchema, 'output') } },
});

const item = { type: 'string', minLength: 1, maxLength: 200 };

/**
 * Routes registered outside the route declarations, described by hand: availability (its own
 * module), OAuth and console login, health, docs. Keep in step with their route files; the
 * conformance test fails when a registered route is missing here.
 */
export function extraPaths(schemas: SchemaCollector): Record<string, Record<string, JsonObject>> {
  const partnerSecurity = (scope: string) => [{ apiKey: [] }, { oauth2: [scope] }];
  return {
    '/v1/availability': {
      get: {
        operationId: 'getAvailability',
        summary: 'Available to promise per item',
        description: 'Live availability per item and location for a channel, served from memory. Up to 1,000 items per call.',
        tags: ['Availability'],
        security: partnerSecurity('availability:read'),
        'x-scope': 'availability:read',
        parameters: [
          { name: 'items', in: 'query', required: true, description: 'comma-separated SKUs', schema: { type: 'string', minLength: 1 } },
          { name: 'channel', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 200 } },
          { name: 'customer', in: 'query', required: false, schema: { type: 'string', minLength: 1, maxLength: 200 } },
          {
            name: 'locations',
            in: 'query',
            required: false,
            description: 'comma-separated location codes (all by default)',
            schema: { type: 'string', minLength: 1, maxLength: 10_000 },
          },
          { name: 'explain', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
        ],
        responses: {
          200: { description: 'availability per item', content: { 'application/json': { schema: { type: 'object' } } } },
          422: problem(schemas, 'bad query (problem+json)'),
        },
      },
    },
    '/v1/availability/query': {
      post: {
        operationId: 'queryAvailability',
        summary: 'Available to promise for a long item list',
        description: 'The same as GET /v1/availability, with the query as a JSON body (up to 1,000 items).',
        tags: ['Availability'],
        security: partnerSecurity('availability:read'),
        'x-scope': 'availability:read',
        parameters: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['items', 'channel'],
                properties: {
                  items: { type: 'array', minItems: 1, maxItems: 1000, items: item },
                  channel: { type: 'string', minLength: 1, maxLength: 200 },
                  customer: { type: 'string', minLength: 1, maxLength: 200 },
                  locations: { type: 'array', maxItems: 1000, items: item },
                  explain: { type: 'boolean' },
                },
              },
              example: { items: ['PEN-BLUE-10', 'PAPER-A4'], channel: 'web' },
            },
          },
        },
        responses: {
          200: { description: 'availability per item', content: { 'application/json': { schema: { type: 'object' } } } },
          422: problem(schemas, 'bad request (problem+json)'),
        },
      },
    },
    '/v1/availability/promise': {
      post: {
        operationId: 'promiseDelivery',
        summary: 'Ship and delivery dates for order lines',
        tags: ['Availability'],
        security: partnerSecurity('availability:read'),
        'x-scope': 'availability:read',
        parameters: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['lines', 'shipTo', 'channel'],
                properties: {
                  lines: {
                    type: 'array',
                    minItems: 1,
                    maxItems: 1000,
                    items: {
                      type: 'object',
                      additionalProperties: false,
                      required: ['item', 'qty'],
                      properties: { item, qty: { type: 'integer', minimum: 1 } },
                    },
                  },
                  shipTo: {
                    type: 'object',
                    additionalProperties: false,
                    properties: {
                      region: { type: 'string' },
                      country: { type: 'string', minLength: 2, maxLength: 2 },
                      postalCode: { type: 'string' },
                    },
                  },
                  channel: { type: 'string', minLength: 1, maxLength: 200 },
                  customer: { type: 'string', minLength: 1, maxLength: 200 },
                  at: { type: 'string', format: 'date-time' },
                },
              },
              example: { lines: [{ item: 'PEN-BLUE-10', qty: 3 }], shipTo: { country: 'US', region: 'OH' }, channel: 'web' },
            },
          },
        },
        responses: {
          200: { description: 'a promise per line', content: { 'application/json': { schema: { type: 'object' } } } },
          422: problem(schemas, 'bad request (problem+json)'),
        },
      },
    },
    '/oauth/token': {
      post: {
        operationId: 'issueToken',
        summary: 'OAuth 2.0 client credentials token',
        description:
          'RFC 6749 §4.4. Authenticate with HTTP Basic (client id and secret) or `client_id`/`client_secret` in the form. The token lives 15 minutes.',
        tags: ['Authentication'],
        security: [],
        parameters: [],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                required: ['grant_type'],
                properties: {
                  grant_type: { type: 'string', enum: ['client_credentials'] },
                  client_id: { type: 'string' },
                  client_secret: { type: 'string' },
                  scope: { type: 'string', description: 'space-separated scopes (a subset of the granted ones)' },
                },
              },
            },
          },
        },
        responses: {
          200: {
            description: 'an access token',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['access_token', 'token_type', 'expires_in', 'scope'],
                  properties: {
                    access_token: { type: 'string' },
                    token_type: { type: 'string', enum: ['Bearer'] },
                    expires_in: { type: 'integer' },
                    scope: { type: 'string' },
                  },
                },
              },
            },
          },
          400: { description: '`{"error":"unsupported_grant_type"}` or `{"error":"invalid_scope"}` (RFC 6749 §5.2)' },
          401: { description: '`{"error":"invalid_client"}`' },
        },
      },
    },
    '/v1/auth/login': {
      post: {
        operationId: 'login',
        summary: 'Console user login',
        tags: ['Authentication'],
        security: [],
        parameters: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['username', 'password'],
                properties: { username: { type: 'string', minLength: 1 }, password: { type: 'string', minLength: 1 } },
              },
            },
          },
        },
        responses: {
          200: { description: 'a session token with the user role', content: { 'application/json': { schema: { type: 'object' } } } },
          401: problem(schemas, 'wrong username or password'),
        },
      },
    },
    '/v1/auth/me': {
      get: {
        operationId: 'whoAmI',
        summary: 'The caller: partner and scopes, or user and role',
        tags: ['Authentication'],
        security: [{ apiKey: [] }, { oauth2: [] }],
        parameters: [],
        responses: {
          200: {
            description: 'the principal',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    kind: { type: 'string', enum: ['partner', 'user'] },
                    partner: { type: 'string' },
                    username: { type: 'string' },
                    role: { type: 'string' },
                    scopes: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
            },
          },
          401: problem(schemas, 'missing or invalid credentials'),
        },
      },
    },
    '/health': {
      get: {
        operationId: 'health',
        summary: 'Liveness',
        tags: ['Platform'],
        security: [],
        parameters: [],
        responses: { 200: { description: 'running' } },
      },
    },
    '/ready': {
      get: {
        operationId: 'ready',
        summary: 'Readiness',
        tags: ['Platform'],
        security: [],
        parameters: [],
        responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Prometheus metrics',
        tags: ['Platform'],
        security: [],
        parameters: [],
        responses: { 200: { description: 'text exposition format' } },
      },
    },
    '/problems/{code}': {
      get: {
        operationId: 'describeProblem',
        summary: 'What an error code means',
        tags: ['Platform'],
        security: [],
        parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: {
            description: 'the code, its title and class',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['code', 'title', 'class'],
                  properties: { code: { type: 'string' }, title: { type: 'string' }, class: { type: 'string' } },
                },
              },
            },
          },
          404: problem(schemas, 'no such code'),
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document',
        tags: ['Platform'],
        security: [],
        parameters: [],
        responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/docs': {
      get: {
        operationId: 'docs',
        summary: 'API reference (HTML)',
        tags: ['Platform'],
        security: [],
        parameters: [],
        responses: { 200: { description: 'HTML' } },
      },
    },
    '/docs/app.js': {
      get: {
        operationId: 'docsScript',
        summary: 'Script of the API reference page',
        tags: ['Platform'],
        security: [],
        parameters: [],
        responses: { 200: { description: 'JavaScript' } },
      },
    },
  };
}
