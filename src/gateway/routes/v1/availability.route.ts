import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Availability } from '../../../domains/availability/index.js';
import { Errors } from '../../../kernel/index.js';
import { AuthErrors } from '../../auth/identity.js';
import { asCrossdockError, toProblem } from '../../problem.js';
import type { GatewayApp } from '../../types.js';

/** Both routes only read (a promise reserves nothing), so one scope covers them. */
export const AVAILABILITY_READ_SCOPE = 'availability:read';

export interface AvailabilityRouteDeps {
  availability: Pick<Availability, 'get' | 'promise'>;
}

const Param = z.string().min(1).max(250_000);
const GetQuery = z.object({
  items: z.union([Param, z.array(Param)]),
  channel: z.string().min(1).max(200),
  customer: z.string().min(1).max(200).optional(),
  locations: z.string().min(1).max(10_000).optional(),
  explain: z.enum(['true', 'false']).optional(),
});

/** The same query as a body, for item lists longer than a URL carries (Node's default header limit is 16 KB). */
const QueryBody = z.strictObject({
  items: z.array(z.string().min(1).max(200)).min(1).max(1000, 'at most 1000 items per request'),
  channel: z.string().min(1).max(200),
  customer: z.string().min(1).max(200).optional(),
  locations: z.array(z.string().min(1).max(200)).max(1000).optional(),
  explain: z.boolean().optional(),
});

const PromiseBody = z.strictObject({
  lines: z
    .array(z.strictObject({ item: z.string().min(1).max(200), qty: z.number().int().positive() }))
    .min(1)
    .max(1000),
  shipTo: z.strictObject({
    region: z.string().min(1).max(200).optional(),
    country: z.string().length(2).optional(),
    postalCode: z.string().min(1).max(20).optional(),
  }),
  channel: z.string().min(1).max(200),
  customer: z.string().min(1).max(200).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

/** `lines[1].qty` from zod's ['lines', 1, 'qty']. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));
  const first = issues[0];
  throw Errors.validation(`${what}: ${first?.path || '(root)'}: ${first?.message ?? 'invalid'}`, { path: first?.path ?? '', issues });
}

/**
 * The customer whose policies (ring-fences, allocations) apply. A partner sees availability as
 * itself: its own id, and it may not name another customer, whose fenced stock would show. Console
 * users and operators may ask as any customer.
 */
function customerFor(request: FastifyRequest, asked: string | undefined): string | undefined {
  const principal = request.principal;
  if (principal?.kind !== 'partner') return asked;
  if (asked !== undefined && asked !== principal.partnerId) {
    throw AuthErrors.forbidden(`a partner sees availability as itself: customer must be ${principal.partnerId} or left out`, {
      path: 'customer',
    });
  }
  return principal.partnerId;
}

/**
 * GET /v1/availability?items=SKU1,SKU2&channel=web[&customer=C][&locations=DAL,RNO][&explain=true] — up to 1,000 items,
 * served from memory; POST /v1/availability/query takes the same as a JSON body (long item lists).
 * POST /v1/availability/promise — ship and delivery dates for order lines.
 * Bad input answers problem+json (RFC 9457) naming each bad field's path.
 */
export function availabilityRoutes(app: GatewayApp, deps: AvailabilityRouteDeps): void {
  app.register(async (scope) => {
    scope.setErrorHandler((err, request, reply) => {
      const problem = toProblem(asCrossdockError(err), request.url);
      if (problem.status >= 500) request.log.error({ err }, 'availability request failed');
      reply.code(problem.status).type('application/problem+json').send(problem);
    });

    scope.get('/v1/availability', { config: { scope: AVAILABILITY_READ_SCOPE } }, async (request) => {
      const query = parse(GetQuery, request.query, 'availability query');
      const items = (Array.isArray(query.items) ? query.items.join(',') : query.items).split(',').map((s) => s.trim());
      const empty = items.indexOf('');
      if (empty >= 0)
        throw Errors.validation(`items[${empty}] is empty`, {
          path: `items[${empty}]`,
          issues: [{ path: `items[${empty}]`, message: 'empty item' }],
        });
      const customer = customerFor(request, query.customer);
      return deps.availability.get({
        items,
        channel: query.channel,
        ...(customer !== undefined ? { customer } : {}),
        ...(query.locations !== undefined ? { locations: query.locations.split(',').map((s) => s.trim()) } : {}),
        explain: query.explain === 'true',
      });
    });

    scope.post('/v1/availability/query', { config: { scope: AVAILABILITY_READ_SCOPE } }, async (request) => {
      const body = parse(QueryBody, request.body, 'availability query');
      const customer = customerFor(request, body.customer);
      return deps.availability.get({
        items: body.items,
        channel: body.channel,
        ...(customer !== undefined ? { customer } : {}),
        ...(body.locations !== undefined ? { locations: body.locations } : {}),
        explain: body.explain === true,
      });
    });

    scope.post('/v1/availability/promise', { config: { scope: AVAILABILITY_READ_SCOPE } }, async (request) => {
      const body = parse(PromiseBody, request.body, 'promise request');
      const customer = customerFor(request, body.customer);
      return deps.availability.promise({ ...body, ...(customer !== undefined ? { customer } : {}) });
    });
  });
}
